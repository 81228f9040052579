using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace InvoiceApi.LocalPostgres;

/// <summary>
/// Picks a TCP port on 127.0.0.1 that nothing listens on right now, for a server that binds it later. Picked below the
/// kernel's ephemeral range: a port taken from that range and released goes back to the pool that every "any free port"
/// bind (port 0) draws from, so another program could take it in the seconds before the server binds it.
/// </summary>
internal static class LoopbackPort
{
    private const int Lowest = 20_000;
    private const int Attempts = 100;

    internal static int PickFree() => PickFree([]);

    /// <summary>
    /// A free port that is none of <paramref name="reserved"/>: ports another server of the same start will bind but has
    /// not bound yet, so they still look free here (an emulator's PostgreSQL once drew its function's port).
    /// </summary>
    internal static int PickFree(IReadOnlyCollection<int> reserved)
    {
        ArgumentNullException.ThrowIfNull(reserved);
        var ceiling = EphemeralRangeStart();
        for (var attempt = 0; attempt < Attempts && ceiling > Lowest; attempt++)
        {
            var candidate = Random.Shared.Next(Lowest, ceiling);
            if (!reserved.Contains(candidate) && IsFree(candidate))
            {
                return candidate;
            }
        }
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var any = AnyFree();
            if (!reserved.Contains(any))
            {
                return any;
            }
        }
        throw new InvalidOperationException("No free TCP port on 127.0.0.1 outside the ones this start reserved.");
    }

    /// <summary>True when nothing listens on <paramref name="port"/> of 127.0.0.1 right now.</summary>
    internal static bool IsFree(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static int AnyFree()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    // Linux's default is 32768; other systems without the file get that too.
    private static int EphemeralRangeStart()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return int.Parse(range[0], CultureInfo.InvariantCulture);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 32_768;
        }
    }
}
