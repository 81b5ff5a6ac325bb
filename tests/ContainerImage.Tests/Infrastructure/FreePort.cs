using System.Net;
using System.Net.Sockets;

namespace ContainerImage.Tests.Infrastructure;

/// <summary>Loopback ports for test servers.</summary>
public static class FreePort
{
    /// <summary>A port nothing listens on right now (the OS picks it, then it is released).</summary>
    public static int Next()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
