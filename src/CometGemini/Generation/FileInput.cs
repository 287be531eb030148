using System;
using System.IO;
using System.Management.Automation;
using System.Text;
using CometGemini.Commands;

namespace CometGemini.Generation;

/// <summary>
/// One file read as a request part, or why it could not be: the one way every command turns a path into a part.
/// Exactly one of <see cref="Part"/> and <see cref="Error"/> is set.
/// </summary>
internal sealed class FileInput
{
    private FileInput(string fullPath, Part? part, string? warning, ErrorRecord? error, bool isEmpty)
    {
        FullPath = fullPath;
        Part = part;
        Warning = warning;
        Error = error;
        IsEmpty = isEmpty;
    }

    /// <summary>The file-system path (the path as given when it could not be resolved).</summary>
    public string FullPath { get; }

    public Part? Part { get; }

    /// <summary>What to warn about a part that was made all the same (text that was not valid UTF-8).</summary>
    public string? Warning { get; }

    /// <summary>The error to write when no part was made (GeminiFileUnreadable), with the input as its target.</summary>
    public ErrorRecord? Error { get; }

    /// <summary>The file was empty: the commands that send per file skip it with a warning rather than an error.</summary>
    public bool IsEmpty { get; }

    /// <summary>The reason the file was not read, for -Summary.</summary>
    public string? Reason => Error?.Exception.Message;

    /// <summary>
    /// Reads <paramref name="path"/> (a PowerShell path: relative to the current location, any file-system drive) as a part.
    /// <paramref name="target"/> is what the error names (the path as given when null).
    /// </summary>
    /// <paramref name="upload"/>, when given, takes a file over <paramref name="maxInlineBytes"/> (its full path and MIME type)
    /// and makes it a fileData part through the Files API, or says why not (ApiCommand.Uploader: -Upload, -AutoUpload).
    public static FileInput Read(
        SessionState session,
        string path,
        object? target = null,
        string? mimeType = null,
        long maxInlineBytes = PartFactory.DefaultMaxInlineBytes,
        Encoding? encoding = null,
        Func<string, string, (Part? Part, ErrorRecord? Error)>? upload = null)
    {
        string fullPath = path;
        try
        {
            fullPath = session.Path.GetUnresolvedProviderPathFromPSPath(path);
            if (upload is not null && File.Exists(fullPath) && new FileInfo(fullPath).Length > maxInlineBytes)
            {
                FileKinds.ThrowIfNotRegular(fullPath);
                (Part? uploaded, ErrorRecord? failed) = upload(fullPath, mimeType ?? PartFactory.MimeTypeOf(fullPath, encoding is not null));
                return new FileInput(fullPath, uploaded, null, failed, false);
            }

            Part part = PartFactory.FromFile(fullPath, mimeType, maxInlineBytes, encoding, out string? warning);
            return new FileInput(fullPath, part, warning, null, false);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or SessionStateException or NotSupportedException or ArgumentException)
        {
            return new FileInput(fullPath, null, null, ErrorRecords.FromInput(e, "GeminiFileUnreadable", target ?? path), e is EmptyInputException);
        }
    }
}
