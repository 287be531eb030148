using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace CometGemini.Client;

/// <summary>
/// Folders and files only their owner can read: 0700 and 0600 on Linux and macOS. On Windows nothing is changed: the
/// files live under the user's profile (LocalApplicationData), whose ACL already keeps other users out.
/// </summary>
internal static class PrivateFiles
{
    private const int OwnerOnlyFolder = 0x1C0; // rwx------
    private const int OwnerOnlyFile = 0x180;   // rw-------

    // File.SetUnixFileMode exists from .NET 7, not in netstandard2.0: pwsh 7.4 and later have it, Windows PowerShell never runs here off Windows.
    private static readonly Type? ModeType = Type.GetType("System.IO.UnixFileMode");
    private static readonly MethodInfo? SetMode = ModeType is null ? null : typeof(File).GetMethod("SetUnixFileMode", new[] { typeof(string), ModeType });

    /// <summary>Creates the folder (and its parents) and makes it owner-only; an existing folder is restricted too.</summary>
    public static void CreateFolder(string path)
    {
        Directory.CreateDirectory(path);
        Restrict(path, OwnerOnlyFolder);
    }

    /// <summary>Makes an existing file readable and writable by its owner only.</summary>
    public static void OwnerOnly(string file) => Restrict(file, OwnerOnlyFile);

    private static void Restrict(string path, int mode)
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows) || SetMode is null)
            return;
        try
        {
            SetMode.Invoke(null, new[] { path, Enum.ToObject(ModeType!, mode) });
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException is IOException or UnauthorizedAccessException
                ? e.InnerException
                : new IOException($"Could not make '{path}' private to its owner: {e.InnerException.Message}", e.InnerException);
        }
    }
}
