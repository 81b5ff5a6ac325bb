using ContainerImage.Diagnostics;

namespace ContainerImage.Context;

/// <summary>Recognises "no space left" and turns it into the coded error CIMG4100 that names the file.</summary>
public static class DiskFull
{
    // ENOSPC (Linux, macOS: .NET keeps the errno as the HResult), ERROR_HANDLE_DISK_FULL and ERROR_DISK_FULL (Windows).
    private const int NoSpaceErrno = 28;
    private const int WindowsHandleDiskFull = 39;
    private const int WindowsDiskFull = 112;

    /// <summary>True when <paramref name="exception"/> says the disk (or quota) is full.</summary>
    public static bool Is(Exception exception)
    {
        if (exception is not IOException io) return false;
        var code = io.HResult & 0xFFFF;
        return io.HResult == NoSpaceErrno
            || (OperatingSystem.IsWindows() && code is WindowsHandleDiskFull or WindowsDiskFull)
            || io.Message.Contains("No space left on device", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// CIMG4100 for a write whose file the caller does not know: the path the runtime quoted in its
    /// message (".NET: No space left on device : '/path'"), else "an output file".
    /// </summary>
    public static ImageDefinitionException Error(Exception exception)
    {
        var message = exception.Message;
        var end = message.LastIndexOf('\'');
        var start = end > 0 ? message.LastIndexOf('\'', end - 1) : -1;
        var path = start >= 0 && end > start + 1 ? message[(start + 1)..end] : "an output file";
        return Error(path, exception);
    }

    /// <summary>CIMG4100 for <paramref name="path"/>.</summary>
    public static ImageDefinitionException Error(string path, Exception exception)
        => new(DiagnosticCodes.DiskFull, path, exception.Message);
}
