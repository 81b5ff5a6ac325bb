using System.Collections.Concurrent;
using System.Net;

namespace ContainerImage.Tests.Infrastructure;

/// <summary>The kinds of registry request a <see cref="FaultProxy"/> can fault separately.</summary>
public enum RegistryRequestKind
{
    /// <summary>HEAD or GET of a manifest (the existence check, docker push's "already there?").</summary>
    ManifestRead,

    /// <summary>PUT or DELETE of a manifest (the end of a push).</summary>
    ManifestWrite,

    /// <summary>Anything under <c>/blobs/</c>: reads, existence checks and uploads.</summary>
    Blob,

    /// <summary>Everything else (the <c>/v2/</c> ping, tag lists).</summary>
    Other,
}

/// <summary>What a <see cref="FaultProxy"/> does with a request.</summary>
public enum FaultMode
{
    /// <summary>Forward it to the registry.</summary>
    Pass,

    /// <summary>Answer 500 without asking the registry.</summary>
    ServerError,

    /// <summary>Wait, then forward it (a slow registry).</summary>
    Delay,

    /// <summary>Close the connection without an answer.</summary>
    Reset,
}

/// <summary>A fault for one kind of request.</summary>
/// <param name="Mode">What to do.</param>
/// <param name="Delay">How long <see cref="FaultMode.Delay"/> waits.</param>
/// <param name="Times">How many requests get the fault; after that they pass (a transient fault).</param>
/// <param name="Method">Only requests with this HTTP method get the fault (null: every method).</param>
public sealed record Fault(FaultMode Mode, TimeSpan Delay = default, int Times = int.MaxValue, string? Method = null);

/// <summary>
/// A fault-injecting HTTP proxy in front of a real registry, on a free 127.0.0.1 port (loopback, so
/// both our registry client and the docker engine talk plain HTTP to it). Per request kind it answers
/// 500, delays, closes the connection, or passes the request through, and it counts every request it
/// saw per kind (faulted or not). The Host header is kept as the proxy's, so the registry's upload
/// Locations point back at the proxy. Stopped on dispose.
/// </summary>
public sealed class FaultProxy : IDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Content-Length", "Proxy-Connection", "Upgrade", "Trailer", "TE", "Host",
    };

    private readonly LoopbackHttpListener _listener;
    private readonly HttpClient _upstream;
    private readonly Uri _target;
    private readonly ConcurrentDictionary<RegistryRequestKind, Fault> _faults = new();
    private readonly ConcurrentDictionary<(RegistryRequestKind, string), int> _counts = new();
    private readonly ConcurrentDictionary<RegistryRequestKind, int> _faulted = new();

    /// <summary>Starts a proxy that forwards to <paramref name="registry"/> (host:port, plain HTTP).</summary>
    public FaultProxy(string registry = Engine.RegistryAddress)
    {
        _target = new Uri("http://" + registry + "/");
        _upstream = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            Timeout = TimeSpan.FromMinutes(5),
        };
        // Each request on its own task: docker pushes blobs in parallel, and a delayed request must not hold the others.
        _listener = new LoopbackHttpListener(HandleAsync, concurrent: true);
    }

    /// <summary>The port it listens on.</summary>
    public int Port => _listener.Port;

    /// <summary>host:port to use as the image registry.</summary>
    public string Address => _listener.Address;

    /// <summary>Every request seen, in order: method, path, and what the proxy did.</summary>
    public ConcurrentQueue<string> Log { get; } = new();

    /// <summary>Sets what happens to requests of <paramref name="kind"/> from now on (and restarts its fault count).</summary>
    public void Set(RegistryRequestKind kind, Fault fault)
    {
        _faulted[kind] = 0;
        _faults[kind] = fault;
    }

    /// <summary>Lets every request pass again.</summary>
    public void PassAll() => _faults.Clear();

    /// <summary>How many requests of <paramref name="kind"/> it saw (only those with <paramref name="method"/>, when given).</summary>
    public int Count(RegistryRequestKind kind, string? method = null)
        => _counts.Where(c => c.Key.Item1 == kind && (method is null || c.Key.Item2 == method)).Sum(c => c.Value);

    /// <summary>Forgets the counts and the log.</summary>
    public void ResetCounts()
    {
        _counts.Clear();
        Log.Clear();
    }

    /// <summary>The kind of a request, from its method and path.</summary>
    public static RegistryRequestKind KindOf(string method, string path)
    {
        if (path.Contains("/manifests/", StringComparison.Ordinal))
        {
            return method is "HEAD" or "GET" ? RegistryRequestKind.ManifestRead : RegistryRequestKind.ManifestWrite;
        }
        return path.Contains("/blobs/", StringComparison.Ordinal) ? RegistryRequestKind.Blob : RegistryRequestKind.Other;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _listener.Dispose();
        _upstream.Dispose();
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var path = request.Url!.AbsolutePath;
        var kind = KindOf(request.HttpMethod, path);
        _counts.AddOrUpdate((kind, request.HttpMethod), 1, (_, n) => n + 1);
        var fault = ActiveFault(kind, request.HttpMethod);
        Log.Enqueue($"{request.HttpMethod} {path} -> {fault.Mode}");
        try
        {
            switch (fault.Mode)
            {
                case FaultMode.ServerError:
                    context.Response.StatusCode = 500;
                    context.Response.ContentType = "application/json";
                    var body = """{"errors":[{"code":"UNKNOWN","message":"injected fault"}]}"""u8.ToArray();
                    context.Response.ContentLength64 = body.Length;
                    await context.Response.OutputStream.WriteAsync(body);
                    context.Response.Close();
                    return;
                case FaultMode.Reset:
                    context.Response.Abort();
                    return;
                case FaultMode.Delay:
                    await Task.Delay(fault.Delay);
                    break;
            }
            await ForwardAsync(context);
        }
        catch (Exception e) when (e is HttpListenerException or IOException or HttpRequestException or ObjectDisposedException or InvalidOperationException)
        {
            // The client gave up (a timeout) or the registry failed: nothing to answer to.
            context.Response.Abort();
        }
    }

    private Fault ActiveFault(RegistryRequestKind kind, string method)
    {
        if (!_faults.TryGetValue(kind, out var fault) || fault.Mode == FaultMode.Pass) return new Fault(FaultMode.Pass);
        if (fault.Method is not null && fault.Method != method) return new Fault(FaultMode.Pass);
        var used = _faulted.AddOrUpdate(kind, 1, (_, n) => n + 1);
        return used <= fault.Times ? fault : new Fault(FaultMode.Pass);
    }

    private async Task ForwardAsync(HttpListenerContext context)
    {
        var request = context.Request;
        using var forward = new HttpRequestMessage(new HttpMethod(request.HttpMethod), new Uri(_target, request.Url!.PathAndQuery));
        if (request.HasEntityBody)
        {
            forward.Content = new StreamContent(request.InputStream);
            if (request.ContentLength64 >= 0) forward.Content.Headers.ContentLength = request.ContentLength64;
        }
        foreach (var name in request.Headers.AllKeys.OfType<string>())
        {
            if (HopByHop.Contains(name)) continue;
            var values = request.Headers.GetValues(name) ?? [];
            if (!forward.Headers.TryAddWithoutValidation(name, values)) forward.Content?.Headers.TryAddWithoutValidation(name, values);
        }
        // The registry writes upload Locations with the Host it was asked for: keep them pointing here.
        forward.Headers.Host = Address;

        using var answer = await _upstream.SendAsync(forward, HttpCompletionOption.ResponseHeadersRead);
        var response = context.Response;
        response.StatusCode = (int)answer.StatusCode;
        foreach (var (name, values) in answer.Headers.Concat(answer.Content.Headers))
        {
            if (HopByHop.Contains(name)) continue;
            foreach (var value in values) response.AppendHeader(name, value);
        }
        if (answer.Content.Headers.ContentLength is { } length)
        {
            response.ContentLength64 = length;
        }
        else if (request.HttpMethod != "HEAD")
        {
            response.SendChunked = true;
        }
        if (request.HttpMethod != "HEAD")
        {
            await using var stream = await answer.Content.ReadAsStreamAsync();
            await stream.CopyToAsync(response.OutputStream);
        }
        response.Close();
    }
}
