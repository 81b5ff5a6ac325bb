using System.Runtime.InteropServices;

namespace ContainerImage.Context;

/// <summary>Creates hard links (.NET has no API for them): <c>link(2)</c> on Unix, <c>CreateHardLinkW</c> on Windows.</summary>
internal static partial class HardLink
{
    /// <summary>Links <paramref name="link"/> to <paramref name="existing"/>; false when the file system refuses (other volume, no support).</summary>
    public static bool TryCreate(string existing, string link)
    {
        try
        {
            return OperatingSystem.IsWindows() ? CreateHardLinkW(link, existing, IntPtr.Zero) : LinkUnix(existing, link) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int LinkUnix([MarshalAs(UnmanagedType.LPUTF8Str)] string existing, [MarshalAs(UnmanagedType.LPUTF8Str)] string link);

    [DllImport("kernel32", CharSet = CharSet.Unicode, SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool CreateHardLinkW(string link, string existing, IntPtr securityAttributes);
}
