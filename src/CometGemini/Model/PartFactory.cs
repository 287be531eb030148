using System;
using System.IO;
using System.Text;

namespace CometGemini;

/// <summary>Builds request parts from text, files, bytes and URIs.</summary>
public static class PartFactory
{
    /// <summary>The conservative inline limit (docs/wire.md §13): larger media belong in the Files API or a URI.</summary>
    public const long DefaultMaxInlineBytes = 20L * 1024 * 1024;

    private const int SniffBytes = 8192;

    public static Part FromText(string text) => new() { Text = text };

    /// <summary>Inline data; <see cref="InvalidDataException"/> over <paramref name="maxInlineBytes"/>.</summary>
    public static Part FromBytes(byte[] data, string mimeType, long maxInlineBytes = DefaultMaxInlineBytes)
    {
        if (data.Length > maxInlineBytes)
            throw new InvalidDataException(OverInlineLimit($"{data.Length / 1048576.0:0.#} MB of data", maxInlineBytes));
        return new Part { InlineData = Blob.FromBytes(mimeType, data) };
    }

    /// <summary>
    /// Inline data from the rest of a stream. A stream that says it is too long is refused before reading;
    /// any other is read only up to the limit, so an endless one cannot fill memory.
    /// </summary>
    public static Part FromStream(Stream stream, string mimeType, long maxInlineBytes = DefaultMaxInlineBytes)
    {
        if (stream.CanSeek && stream.Length - stream.Position > maxInlineBytes)
            throw new InvalidDataException(OverInlineLimit($"The stream holds {(stream.Length - stream.Position) / 1048576.0:0.#} MB", maxInlineBytes));
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxInlineBytes)
                throw new InvalidDataException(OverInlineLimit("The stream holds more data", maxInlineBytes));
        }

        return FromBytes(buffer.ToArray(), mimeType, maxInlineBytes);
    }

    public static Part FromUri(string fileUri, string mimeType) =>
        new() { FileData = new FileData { FileUri = fileUri, MimeType = mimeType } };

    /// <summary>
    /// A text part for text files (decoded by BOM, else UTF-8), inline data for the rest.
    /// Throws <see cref="FileNotFoundException"/>, <see cref="UnauthorizedAccessException"/>, <see cref="IOException"/>,
    /// and <see cref="InvalidDataException"/> (size or unknown type) with messages that say what to do.
    /// </summary>
    public static Part FromFile(string path, string? mimeType = null, long maxInlineBytes = DefaultMaxInlineBytes) =>
        FromFile(path, mimeType, maxInlineBytes, null, out _);

    /// <summary>
    /// As above, read as <paramref name="encoding"/> when given (a byte order mark still wins). An empty file throws
    /// <see cref="EmptyInputException"/>. <paramref name="warning"/> says when a text file was not valid UTF-8 and
    /// its bad bytes were replaced: the answer would be about garbled text unless -Encoding names the right one.
    /// </summary>
    public static Part FromFile(string path, string? mimeType, long maxInlineBytes, Encoding? encoding, out string? warning)
    {
        warning = null;
        var file = new FileInfo(path);
        if (Directory.Exists(path))
            throw new InvalidDataException($"'{path}' is a directory. Pass files (Get-ChildItem -File) instead.");
        if (!file.Exists)
            throw new FileNotFoundException($"The file '{path}' does not exist.", path);
        FileKinds.ThrowIfNotRegular(path);

        if (file.Length == 0)
            throw new EmptyInputException($"'{file.Name}' is empty, and the API refuses an empty part; it was not sent.");

        mimeType ??= MimeTypeOf(path, encoding is not null);

        if (file.Length > maxInlineBytes)
            throw new InvalidDataException(FileOverInlineLimit(file.Name, file.Length, maxInlineBytes));

        byte[] bytes = ReadAtMost(path, maxInlineBytes, file.Name);
        if (!MimeTypes.IsText(mimeType))
            return FromBytes(bytes, mimeType, maxInlineBytes);
        string text = DecodeText(bytes, encoding, out bool replaced);
        if (text.Length == 0)
            throw new EmptyInputException($"'{file.Name}' holds no text (only a byte order mark), and the API refuses an empty part; it was not sent.");
        if (replaced)
        {
            warning = $"'{file.Name}' is not valid UTF-8, so some of its characters came out as '\uFFFD'. "
                + "If it was written in another encoding, name it with -Encoding (for example -Encoding latin1, -Encoding ansi or -Encoding 1252).";
        }

        return new Part { Text = text };
    }

    /// <summary>
    /// The MIME type of a file: from its extension, else text/plain when its first bytes are text; an
    /// <see cref="InvalidDataException"/> that says to pass -MimeType otherwise.
    /// </summary>
    internal static string MimeTypeOf(string path, bool encodingGiven = false) =>
        MimeTypes.FromPath(path) ?? (LooksLikeText(path, encodingGiven) ? "text/plain" : null)
        ?? throw new InvalidDataException(
            $"Cannot tell the MIME type of '{Path.GetFileName(path)}' from its extension, and it is not text. Give it with New-GeminiPart -MimeType or Add-GeminiFile -MimeType (for example 'image/png' or 'application/pdf').");

    // A file may go through the Files API instead (-Upload, Add-GeminiFile); bytes and streams cannot, so their message differs.
    private static string FileOverInlineLimit(string name, long length, long maxInlineBytes) =>
        $"'{name}' is {length / 1048576.0:0.#} MB, over the {maxInlineBytes / 1048576.0:0.#} MB limit for inline data. Add -Upload to send it through the Files API "
        + "(or upload it with Add-GeminiFile and pipe the file object in), send a URI the model can read with New-GeminiPart -FileUri, "
        + "or raise -MaxInlineSize if the endpoint takes more.";

    private static string OverInlineLimit(string what, long maxInlineBytes) =>
        $"{what}, over the {maxInlineBytes / 1048576.0:0.#} MB limit for inline data. Upload it and pass its URI with New-GeminiPart -FileUri (Files API, https or gs:// URI) instead, or raise -MaxInlineSize if the endpoint takes more.";

    // The bytes actually read count, not the length the file system reports: a file that grows, or one whose type the
    // check above could not tell, still ends at the limit.
    private static byte[] ReadAtMost(string path, long maxInlineBytes, string name)
    {
        using FileStream stream = File.OpenRead(path);
        using var buffer = new MemoryStream(stream.CanSeek ? (int)Math.Min(stream.Length, maxInlineBytes) : 0);
        byte[] chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxInlineBytes)
                throw new InvalidDataException(FileOverInlineLimit(name, buffer.Length, maxInlineBytes));
        }

        return buffer.Length == buffer.Capacity ? buffer.GetBuffer() : buffer.ToArray();
    }

    // A byte order mark decides first; then the given encoding, else strict UTF-8 and, when that fails, UTF-8 with
    // the bad bytes replaced (and said so).
    private static string DecodeText(byte[] bytes, Encoding? encoding, out bool replaced)
    {
        replaced = false;
        if (encoding is not null)
            return Decode(bytes, encoding);
        try
        {
            return Decode(bytes, new UTF8Encoding(false, throwOnInvalidBytes: true));
        }
        catch (DecoderFallbackException)
        {
            replaced = true;
            return Decode(bytes, new UTF8Encoding(false));
        }
    }

    private static string Decode(byte[] bytes, Encoding encoding)
    {
        using var reader = new StreamReader(new MemoryStream(bytes), encoding, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    // Unknown extension: text if the first bytes hold no NUL and decode as UTF-8 (or, with -Encoding, hold no NUL).
    private static bool LooksLikeText(string path, bool encodingGiven)
    {
        byte[] head = new byte[SniffBytes];
        int read;
        using (FileStream stream = File.OpenRead(path))
            read = stream.Read(head, 0, head.Length);
        if (Array.IndexOf(head, (byte)0, 0, read) >= 0)
            return false;
        if (encodingGiven)
            return true;
        try
        {
            // A multi-byte character cut at the sniff boundary is fine; anything else invalid is not text.
            int cut = read;
            if (read == SniffBytes)
            {
                while (cut > 0 && (head[cut - 1] & 0xC0) == 0x80)
                    cut--;
                if (cut > 0 && head[cut - 1] >= 0xC0)
                    cut--;
            }

            new UTF8Encoding(false, throwOnInvalidBytes: true).GetCharCount(head, 0, cut);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}

/// <summary>An input with nothing in it (an empty file): skipped with a warning, not sent.</summary>
public sealed class EmptyInputException : IOException
{
    public EmptyInputException(string message)
        : base(message)
    {
    }
}
