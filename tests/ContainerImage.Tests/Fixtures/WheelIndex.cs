using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace ContainerImage.Tests.Fixtures;

/// <summary>
/// A PEP 503 "simple" package index of pure-Python wheels built by the test itself, served on
/// 127.0.0.1 (PyPI is unreachable here). Builds reach it with <c>--network=host</c>.
/// </summary>
public sealed class WheelIndex : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _root;
    private readonly Task _serving;
    private int _requests;

    private WheelIndex(string root, int port)
    {
        _root = root;
        Port = port;
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    /// <summary>The port it listens on.</summary>
    public int Port { get; }

    /// <summary>The index URL for <c>--index-url</c>.</summary>
    public string IndexUrl => $"http://127.0.0.1:{Port}/simple/";

    /// <summary>How many requests it answered (to prove a build used it).</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Builds the wheels and starts serving them.</summary>
    /// <param name="packages">Each package: name, version, the value its module's <c>VALUE</c> holds, and its requirements.</param>
    public static WheelIndex Start(params (string Name, string Version, string Value, string[] Requires)[] packages)
    {
        var root = Directory.CreateTempSubdirectory("cimg-wheels-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "packages"));
        var byProject = new Dictionary<string, List<string>>();
        foreach (var (name, version, value, requires) in packages)
        {
            var file = WriteWheel(Path.Combine(root, "packages"), name, version, value, requires);
            var normalized = Normalize(name);
            if (!byProject.TryGetValue(normalized, out var list)) byProject[normalized] = list = [];
            list.Add(file);
        }
        foreach (var (project, files) in byProject)
        {
            var dir = Directory.CreateDirectory(Path.Combine(root, "simple", project)).FullName;
            var links = files.Select(f =>
            {
                var hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(root, "packages", f))));
                return $"<a href=\"../../packages/{f}#sha256={hash}\">{f}</a><br/>";
            });
            File.WriteAllText(Path.Combine(dir, "index.html"), "<!DOCTYPE html><html><body>" + string.Join("\n", links) + "</body></html>\n");
        }
        File.WriteAllText(Path.Combine(root, "simple", "index.html"),
            "<!DOCTYPE html><html><body>" + string.Join("\n", byProject.Keys.Select(p => $"<a href=\"{p}/\">{p}</a>")) + "</body></html>\n");
        return new WheelIndex(root, FreePort());
    }

    private static string WriteWheel(string dir, string name, string version, string value, string[] requires)
    {
        var module = name.Replace('-', '_').ToLowerInvariant();
        var distInfo = $"{module}-{version}.dist-info";
        var files = new List<(string Path, byte[] Content)>
        {
            ($"{module}/__init__.py", Encoding.UTF8.GetBytes($"VALUE = {Quote(value)}\n")),
            ($"{distInfo}/METADATA", Encoding.UTF8.GetBytes(
                $"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n" + string.Concat(requires.Select(r => $"Requires-Dist: {r}\n")))),
            ($"{distInfo}/WHEEL", Encoding.UTF8.GetBytes("Wheel-Version: 1.0\nGenerator: cimg-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n")),
        };
        var record = new StringBuilder();
        foreach (var (path, content) in files)
        {
            var digest = Convert.ToBase64String(SHA256.HashData(content)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            record.Append($"{path},sha256={digest},{content.Length}\n");
        }
        record.Append($"{distInfo}/RECORD,,\n");
        files.Add(($"{distInfo}/RECORD", Encoding.UTF8.GetBytes(record.ToString())));
        var fileName = $"{module}-{version}-py3-none-any.whl";
        using var zip = ZipFile.Open(Path.Combine(dir, fileName), ZipArchiveMode.Create);
        foreach (var (path, content) in files)
        {
            using var stream = zip.CreateEntry(path).Open();
            stream.Write(content);
        }
        return fileName;
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    private static string Normalize(string name) => System.Text.RegularExpressions.Regex.Replace(name, "[-_.]+", "-").ToLowerInvariant();

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) when (!_listener.IsListening) { return; }
            catch (HttpListenerException) { return; }
            catch (ObjectDisposedException) { return; }
            Interlocked.Increment(ref _requests);
            var relative = Uri.UnescapeDataString(context.Request.Url!.AbsolutePath).TrimStart('/');
            var path = Path.GetFullPath(Path.Combine(_root, relative));
            if (Directory.Exists(path)) path = Path.Combine(path, "index.html");
            if (!path.StartsWith(_root, StringComparison.Ordinal) || !File.Exists(path))
            {
                context.Response.StatusCode = 404;
                context.Response.Close();
                continue;
            }
            var bytes = await File.ReadAllBytesAsync(path);
            context.Response.ContentType = path.EndsWith(".html", StringComparison.Ordinal) ? "text/html" : "application/octet-stream";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try { _serving.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}
