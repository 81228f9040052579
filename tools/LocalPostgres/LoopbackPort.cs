using System.Net;
using System.Net.Sockets;

namespace InvoiceApi.LocalPostgres;

/// <summary>Picks a TCP port on 127.0.0.1 that nothing listens on right now.</summary>
internal static class LoopbackPort
{
    internal static int PickFree()
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
}
