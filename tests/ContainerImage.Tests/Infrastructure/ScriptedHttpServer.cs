using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace ContainerImage.Tests.Infrastructure;

/// <summary>
/// A tiny HTTP server on a free 127.0.0.1 port that answers with a handler the test writes, and
/// records every request: for protocols a real registry cannot be made to show (token services,
/// server errors).
/// </summary>
public sealed class ScriptedHttpServer : IDisposable
{
    private readonly LoopbackHttpListener _listener;
    private readonly Func<HttpListenerRequest, Reply> _handler;

    /// <summary>One answer.</summary>
    /// <param name="Status">The HTTP status.</param>
    /// <param name="Body">The body, or empty.</param>
    /// <param name="ContentType">The Content-Type, or null.</param>
    /// <param name="Headers">Extra headers.</param>
    public sealed record Reply(int Status, string Body = "", string? ContentType = null, IReadOnlyDictionary<string, string>? Headers = null);

    /// <summary>A request as the server saw it.</summary>
    /// <param name="Method">The method.</param>
    /// <param name="PathAndQuery">The path and query.</param>
    /// <param name="Authorization">The Authorization header, or null.</param>
    /// <param name="Body">The request body.</param>
    public sealed record SeenRequest(string Method, string PathAndQuery, string? Authorization, string Body);

    /// <summary>Starts serving with <paramref name="handler"/>.</summary>
    public ScriptedHttpServer(Func<HttpListenerRequest, Reply> handler)
    {
        _handler = handler;
        _listener = new LoopbackHttpListener(ServeAsync, concurrent: false);
    }

    /// <summary>The port.</summary>
    public int Port => _listener.Port;

    /// <summary>host:port.</summary>
    public string Address => _listener.Address;

    /// <summary>Every request so far.</summary>
    public ConcurrentQueue<SeenRequest> Requests { get; } = new();

    /// <inheritdoc/>
    public void Dispose() => _listener.Dispose();

    private async Task ServeAsync(HttpListenerContext context)
    {
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        Requests.Enqueue(new SeenRequest(context.Request.HttpMethod, context.Request.Url!.PathAndQuery, context.Request.Headers["Authorization"], body));
        var reply = _handler(context.Request);
        context.Response.StatusCode = reply.Status;
        if (reply.ContentType is not null) context.Response.ContentType = reply.ContentType;
        foreach (var (name, value) in reply.Headers ?? new Dictionary<string, string>()) context.Response.AddHeader(name, value);
        var bytes = Encoding.UTF8.GetBytes(reply.Body);
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }
}
