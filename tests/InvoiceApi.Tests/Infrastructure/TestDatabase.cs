using System.Globalization;
using InvoiceApi.Data.Connection;
using Npgsql;

namespace InvoiceApi.Tests.Infrastructure;

/// <summary>A database of one test's own, with the environment variables of each way the code can reach it.</summary>
public sealed class TestDatabase(PostgresServer server, string name)
{
    public string Name { get; } = name;

    public PostgresServer Server { get; } = server;

    /// <summary>Cloud Run's form: INSTANCE_CONNECTION_NAME with the socket root standing in for /cloudsql.</summary>
    public Dictionary<string, string?> SocketVariables()
    {
        var (root, instance) = Server.Socket ?? throw new InvalidOperationException(
            "This test needs the server's Unix socket; TEST_DATABASE_URL names a TCP server. Use the socket form postgresql://user:pass@/db?host=/dir/project:region:instance.");
        return Credentials(new() { ["INSTANCE_CONNECTION_NAME"] = instance, ["INSTANCE_UNIX_SOCKET"] = root });
    }

    /// <summary>TCP: INSTANCE_HOST and DB_PORT.</summary>
    public Dictionary<string, string?> TcpVariables()
    {
        var (host, port) = Server.Tcp ?? throw new InvalidOperationException(
            "This test needs the server over TCP; TEST_DATABASE_URL names a socket. Give a TCP URL instead.");
        return Credentials(new() { ["INSTANCE_HOST"] = host, ["DB_PORT"] = port.ToString(CultureInfo.InvariantCulture) });
    }

    /// <summary>Cloud Run's socket form, logged in as the runtime role that row-level security holds.</summary>
    public Dictionary<string, string?> RuntimeSocketVariables() => AsRuntime(SocketVariables());

    /// <summary>TCP, logged in as the runtime role that row-level security holds.</summary>
    public Dictionary<string, string?> RuntimeTcpVariables() => AsRuntime(TcpVariables());

    /// <summary>DATABASE_URL in the TCP form.</summary>
    public Dictionary<string, string?> UrlVariables()
    {
        var (host, port) = Server.Tcp ?? throw new InvalidOperationException("This test needs the server over TCP.");
        var admin = Server.Admin;
        return new() { ["DATABASE_URL"] = $"postgresql://{Uri.EscapeDataString(admin.User)}:{Uri.EscapeDataString(admin.Password ?? "")}@{host}:{port}/{Name}" };
    }

    /// <summary>DATABASE_URL in the socket form, libpq's <c>?host=/dir</c>.</summary>
    public Dictionary<string, string?> SocketUrlVariables()
    {
        var (root, instance) = Server.Socket ?? throw new InvalidOperationException("This test needs the server's Unix socket.");
        var admin = Server.Admin;
        return new() { ["DATABASE_URL"] = $"postgresql://{Uri.EscapeDataString(admin.User)}:{Uri.EscapeDataString(admin.Password ?? "")}@/{Name}?host={root}/{instance}" };
    }

    /// <summary>The endpoint the code resolves from <see cref="SocketVariables"/>, or TCP when there is no socket.</summary>
    public DatabaseEndpoint Endpoint() =>
        DatabaseEndpointResolver.Resolve(name => (Server.Socket is null ? TcpVariables() : SocketVariables()).GetValueOrDefault(name));

    /// <summary>The endpoint the code resolves from <see cref="RuntimeSocketVariables"/>, or TCP when there is no socket.</summary>
    public DatabaseEndpoint RuntimeEndpoint() =>
        DatabaseEndpointResolver.Resolve(name => (Server.Socket is null ? RuntimeTcpVariables() : RuntimeSocketVariables()).GetValueOrDefault(name));

    /// <summary>A superuser connection for inspecting this database from the outside.</summary>
    public NpgsqlDataSource AdminDataSource() => Server.AdminDataSource(Name);

    /// <summary>An unpooled connection as the runtime role, for running SQL the way the functions' login would.</summary>
    public NpgsqlDataSource RuntimeDataSource()
    {
        var endpoint = RuntimeEndpoint();
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = endpoint.Host, Port = endpoint.Port, Username = endpoint.User, Password = endpoint.Password, Database = Name,
            Pooling = false, SslMode = SslMode.Disable,
        };
        return NpgsqlDataSource.Create(builder.ConnectionString);
    }

    private Dictionary<string, string?> AsRuntime(Dictionary<string, string?> variables)
    {
        variables["DB_USER"] = PostgresServer.RuntimeUser;
        variables["DB_PASS"] = Server.RuntimePassword;
        return variables;
    }

    private Dictionary<string, string?> Credentials(Dictionary<string, string?> variables)
    {
        variables["DB_USER"] = Server.Admin.User;
        variables["DB_PASS"] = Server.Admin.Password;
        variables["DB_NAME"] = Name;
        return variables;
    }
}
