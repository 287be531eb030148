using System;
using System.IO;
using System.Runtime.InteropServices;

namespace CometGemini;

/// <summary>
/// Refuses inputs that are not regular files before a byte is read: a character device (/dev/zero, /dev/urandom, or a
/// link to one), a FIFO or a socket has no end to wait for, and opening a FIFO blocks until someone writes to it.
/// FileSystemInfo cannot tell (their Attributes read Normal, their Length 0), so on Linux and macOS the file type comes
/// from stat(2) through the runtime's own System.Native library (the one FileStream uses), links followed. Where that is
/// not to be had (Windows, .NET Framework) nothing is refused here, and the readers bound what they read anyway.
/// </summary>
internal static class FileKinds
{
    // The S_IFMT values of the runtime's FileStatus.Mode, the same on every Unix it runs on (pal_io.h).
    private const int TypeMask = 0xF000;
    private const int Fifo = 0x1000;
    private const int CharacterDevice = 0x2000;
    private const int Directory = 0x4000;
    private const int BlockDevice = 0x6000;
    private const int Regular = 0x8000;
    private const int Socket = 0xC000;

    private static bool s_unavailable = Environment.OSVersion.Platform != PlatformID.Unix && Environment.OSVersion.Platform != PlatformID.MacOSX;

    /// <summary>InvalidDataException, with what to do instead, when <paramref name="path"/> names something other than a regular file or directory.</summary>
    public static void ThrowIfNotRegular(string path)
    {
        string? kind = Describe(path);
        if (kind is not null)
        {
            throw new InvalidDataException(
                $"'{path}' is {kind}, not a regular file: reading it might never end, so it was not read. Pass a regular file, or save the part you need into one first (for example: head -c 1000000 {path} > sample.bin).");
        }
    }

    /// <summary>"a character device", "a FIFO (named pipe)"… for what is not a regular file or directory; null otherwise or when unknown.</summary>
    internal static string? Describe(string path)
    {
        if (s_unavailable)
            return null;
        int mode;
        try
        {
            var status = default(FileStatus);
            if (SystemNative_Stat(path, out status) != 0)
                return null; // missing or unreadable: the reader's own error says so
            mode = status.Mode & TypeMask;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            s_unavailable = true;
            return null;
        }

        return mode switch
        {
            Regular or Directory => null,
            CharacterDevice => "a character device (like /dev/zero or /dev/urandom)",
            BlockDevice => "a block device (a disk)",
            Fifo => "a FIFO (named pipe)",
            Socket => "a socket",
            _ => "not a file (type 0x" + mode.ToString("X4", System.Globalization.CultureInfo.InvariantCulture) + ")",
        };
    }

    // stat(2), links followed: returns 0 and fills FileStatus, whose first fields are Flags and Mode in every .NET since Core 2.
    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", CharSet = CharSet.Ansi, SetLastError = true)]
    private static extern int SystemNative_Stat(string path, out FileStatus output);

    // Flags and Mode, then room for the rest of the runtime's struct (about 120 bytes today), which is not read.
    [StructLayout(LayoutKind.Sequential, Size = 512)]
    private struct FileStatus
    {
        public int Flags;
        public int Mode;
    }
}
