using System.Net;

namespace ContainerImage.Tests.Infrastructure;

/// <summary>
/// An <see cref="HttpListener"/> on a free 127.0.0.1 port with its accept loop: the part every test
/// HTTP endpoint shares (<see cref="ScriptedHttpServer"/>, <see cref="FaultProxy"/>). Disposing stops it.
/// </summary>
internal sealed class LoopbackHttpListener : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<HttpListenerContext, Task> _handle;
    private readonly bool _concurrent;
    private readonly Task _loop;

    /// <summary>
    /// Starts listening; each request goes to <paramref name="handle"/>, one after another, or each on its
    /// own task when <paramref name="concurrent"/> (a client that sends in parallel must not wait on a slow answer).
    /// </summary>
    public LoopbackHttpListener(Func<HttpListenerContext, Task> handle, bool concurrent)
    {
        _handle = handle;
        _concurrent = concurrent;
        Port = FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    /// <summary>The port it listens on.</summary>
    public int Port { get; }

    /// <summary>host:port.</summary>
    public string Address => $"127.0.0.1:{Port}";

    /// <inheritdoc/>
    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
            // The accept loop ends with the listener's exception: expected on stop.
        }
    }

    private async Task AcceptAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            if (_concurrent) _ = Task.Run(() => _handle(context));
            else await _handle(context);
        }
    }
}
