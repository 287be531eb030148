using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CometGemini.Client;

namespace CometGemini.Generation;

/// <summary>
/// Answers already given, kept as plain files in one folder (-AnswerCache): one JSON file per request, named by the
/// SHA-256 of the model, the endpoint's base URI and the serialized request body (never the API key, which is not in
/// any of them), so any change to the prompt, a part's bytes or an option is another file. Files and folder are
/// owner-only. An entry is written to a temporary file in the same folder and renamed over its name, so a reader (this
/// run's or another process's) sees a whole entry or none; an entry that cannot be read is a miss, never an error. The
/// file's last write time is its last use (a hit touches it), which is what -AnswerCacheMaxSize evicts by; the
/// answer's age (-AnswerCacheMaxAge) is the time it was saved, kept inside the entry. Knows nothing of PowerShell.
/// </summary>
public sealed class AnswerCache
{
    private const string EntryExtension = ".json";
    private const string TempExtension = ".tmp";
    private static readonly Regex EntryName = new("^[0-9a-f]{64}\\.json$", RegexOptions.CultureInvariant);
    private static readonly Regex TempName = new("^[0-9a-f]{64}\\.json\\.[0-9a-f]{32}\\.tmp$", RegexOptions.CultureInvariant);

    public AnswerCache(string folder, TimeSpan? maxAge = null, long? maxSize = null)
    {
        Folder = folder;
        MaxAge = maxAge;
        MaxSize = maxSize;
    }

    /// <summary>The full path of the cache folder.</summary>
    public string Folder { get; }

    public TimeSpan? MaxAge { get; }

    public long? MaxSize { get; }

    /// <summary>Makes the folder (owner-only) if it is not there yet.</summary>
    public void Open() => PrivateFiles.CreateFolder(Folder);

    /// <summary>
    /// The request's key: hex SHA-256 over the model, the base URI and the request body exactly as it is sent (its
    /// inline data as base64). The body is hashed as it is written, not held.
    /// </summary>
    public static string KeyOf(string model, Uri baseUri, GenerateContentRequest request)
    {
        using var hashing = new HashingStream();
        hashing.WriteHeader(model, baseUri);
        JsonSerializer.Serialize(hashing, request, GeminiJsonContext.Default.GenerateContentRequest);
        return hashing.Finish();
    }

    /// <summary>As <see cref="KeyOf(string, Uri, GenerateContentRequest)"/>, for a body already serialized (a batch job's requests).</summary>
    public static string KeyOf(string model, Uri baseUri, byte[] body)
    {
        using var hashing = new HashingStream();
        hashing.WriteHeader(model, baseUri);
        hashing.Write(body, 0, body.Length);
        return hashing.Finish();
    }

    /// <summary>The entry's file: &lt;key&gt;.json in the folder.</summary>
    public string PathOf(string key) => Path.Combine(Folder, key + EntryExtension);

    /// <summary>
    /// Looks the key up. A hit gives the answer (FromCache set, CreateTime the time it was first answered) and marks the
    /// entry as just used, unless <paramref name="touch"/> is false (-WhatIf changes nothing).
    /// </summary>
    public AnswerCacheLookup Find(string key, bool touch = true)
    {
        string path = PathOf(key);
        AnswerCacheEntry? entry;
        try
        {
            if (!File.Exists(path))
                return new AnswerCacheLookup(AnswerCacheOutcome.Miss, key, path, null, null);
            entry = JsonSerializer.Deserialize(File.ReadAllBytes(path), GeminiJsonContext.Default.AnswerCacheEntry);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException or InvalidOperationException)
        {
            return new AnswerCacheLookup(AnswerCacheOutcome.Unreadable, key, path, null, $"the entry could not be read ({e.GetType().Name}: {e.Message})");
        }

        if (entry?.Response is not GenerateContentResponse response || !string.Equals(entry.RequestHash, key, StringComparison.Ordinal))
            return new AnswerCacheLookup(AnswerCacheOutcome.Unreadable, key, path, null, "the entry is not a whole answer to this request");
        if (MaxAge is TimeSpan maxAge && DateTimeOffset.UtcNow - entry.Saved > maxAge)
            return new AnswerCacheLookup(AnswerCacheOutcome.Expired, key, path, null, $"saved {entry.Saved.ToString("u", CultureInfo.InvariantCulture)}, older than {maxAge}");

        response.WithoutNullElements();
        response.FromCache = true;
        response.CreateTime ??= entry.Saved;
        if (touch)
            Touch(path);
        return new AnswerCacheLookup(AnswerCacheOutcome.Hit, key, path, response, $"saved {entry.Saved.ToString("u", CultureInfo.InvariantCulture)}");
    }

    /// <summary>
    /// Whether an answer may be kept: a whole, successful one. Not a blocked prompt, not an answer cut short (MAX_TOKENS,
    /// SAFETY, …: only STOP), not one without content, and not one asking for function calls.
    /// </summary>
    public static bool IsCacheable(GenerateContentResponse response) =>
        response.PromptFeedback?.BlockReason is null
        && response.FirstCandidate is { } candidate
        && string.Equals(candidate.FinishReason, "STOP", StringComparison.Ordinal)
        && candidate.Content?.Parts is { Count: > 0 } parts
        && parts.All(p => p.FunctionCall is null);

    /// <summary>
    /// Keeps the answer under the key: written whole to a temporary file beside the entry, made owner-only, then renamed
    /// over the entry's name. Two writers of one key leave one whole answer (the last renamed). Returns the entry's path.
    /// </summary>
    public string Save(string key, string model, GenerateContentResponse response)
    {
        var entry = new AnswerCacheEntry
        {
            RequestHash = key,
            Model = model,
            Saved = response.CreateTime ?? DateTimeOffset.UtcNow,
            Response = response,
        };
        // The answer's own time when it has one: a response saved from a batch job was made when the job ran.
        if (entry.Saved > DateTimeOffset.UtcNow)
            entry.Saved = DateTimeOffset.UtcNow;
        string path = PathOf(key);
        string temp = path + "." + Guid.NewGuid().ToString("N") + TempExtension;
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                PrivateFiles.OwnerOnly(temp); // before the answer is in it
                byte[] json = JsonSerializer.SerializeToUtf8Bytes(entry, GeminiJsonContext.Default.AnswerCacheEntry);
                file.Write(json, 0, json.Length);
            }

            // Not flushed to disk (fsync per entry made a run of 500 misses four times slower): after a power cut an entry
            // may be empty or cut, which a reader takes as a miss.

            Replace(temp, path);
        }
        finally
        {
            if (File.Exists(temp))
                TryDelete(temp);
        }

        return path;
    }

    /// <summary>
    /// With a maximum size: removes the least recently used entries until the folder's entries fit. Entries another
    /// process holds open (Windows) are passed over. Returns how many were removed.
    /// </summary>
    public int Trim()
    {
        if (MaxSize is not long maxSize)
            return 0;
        List<FileInfo> entries = Entries().OrderBy(f => f.LastWriteTimeUtc).ToList();
        long total = entries.Sum(f => f.Length);
        int removed = 0;
        foreach (FileInfo entry in entries)
        {
            if (total <= maxSize)
                break;
            if (TryDelete(entry.FullName))
            {
                total -= entry.Length;
                removed++;
            }
        }

        return removed;
    }

    /// <summary>
    /// The entries of a cache folder, and temporary files a writer left behind: only files named as this class names
    /// them, so a folder given by mistake loses nothing else. With <paramref name="olderThan"/>, only entries saved longer
    /// ago than that (an unreadable entry counts as old; a temporary file by its own time).
    /// </summary>
    public static List<FileInfo> FilesToClear(string folder, TimeSpan? olderThan)
    {
        var files = new List<FileInfo>();
        if (!Directory.Exists(folder))
            return files;
        DateTimeOffset now = DateTimeOffset.UtcNow;
        foreach (FileInfo file in new DirectoryInfo(folder).EnumerateFiles())
        {
            if (TempName.IsMatch(file.Name))
            {
                if (olderThan is not TimeSpan limit || now - file.LastWriteTimeUtc > limit)
                    files.Add(file);
            }
            else if (EntryName.IsMatch(file.Name))
            {
                if (olderThan is not TimeSpan limit || SavedOf(file) is not DateTimeOffset saved || now - saved > limit)
                    files.Add(file);
            }
        }

        return files;
    }

    private IEnumerable<FileInfo> Entries() =>
        Directory.Exists(Folder)
            ? new DirectoryInfo(Folder).EnumerateFiles("*" + EntryExtension).Where(f => EntryName.IsMatch(f.Name))
            : Enumerable.Empty<FileInfo>();

    private static DateTimeOffset? SavedOf(FileInfo file)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(file.FullName), GeminiJsonContext.Default.AnswerCacheEntry)?.Saved;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException or InvalidOperationException)
        {
            return null;
        }
    }

    // rename(2) on Linux and macOS, ReplaceFile on Windows: the entry is the old whole file or the new whole file.
    private static void Replace(string temp, string path)
    {
        try
        {
            File.Move(temp, path);
        }
        catch (IOException) when (File.Exists(path))
        {
            try
            {
                File.Replace(temp, path, destinationBackupFileName: null);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // another run holds it (Windows) or renamed its own answer first: that whole answer stays
            }
        }
    }

    private static void Touch(string path)
    {
        try
        {
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // being replaced or removed by another run: its use is not recorded, nothing else
        }
    }

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>A write-only stream that feeds SHA-256.</summary>
    private sealed class HashingStream : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        // The model and endpoint first, each ended by a line feed (neither holds one), then the body.
        public void WriteHeader(string model, Uri baseUri)
        {
            byte[] header = Encoding.UTF8.GetBytes("CometGemini answer cache v1\n" + model + "\n" + baseUri.AbsoluteUri + "\n");
            _hash.AppendData(header);
        }

        public string Finish()
        {
            byte[] digest = _hash.GetHashAndReset();
            var hex = new StringBuilder(digest.Length * 2);
            foreach (byte b in digest)
                hex.Append(b.ToString("x2", CultureInfo.InvariantCulture));
            return hex.ToString();
        }

        public override void Write(byte[] buffer, int offset, int count) => _hash.AppendData(buffer, offset, count);

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _hash.Dispose();
            base.Dispose(disposing);
        }
    }
}

public enum AnswerCacheOutcome
{
    Miss,
    Hit,
    Expired,
    Unreadable,
}

/// <summary>What a look-up found: the answer on a hit; for the verbose line, why not otherwise.</summary>
public sealed class AnswerCacheLookup
{
    internal AnswerCacheLookup(AnswerCacheOutcome outcome, string key, string path, GenerateContentResponse? response, string? detail)
    {
        Outcome = outcome;
        Key = key;
        Path = path;
        Response = response;
        Detail = detail;
    }

    public AnswerCacheOutcome Outcome { get; }

    public string Key { get; }

    public string Path { get; }

    public GenerateContentResponse? Response { get; }

    public string? Detail { get; }

    /// <summary>"hit", "miss", "expired" or "miss (unreadable entry …)", for -Verbose.</summary>
    public string Describe() => Outcome switch
    {
        AnswerCacheOutcome.Hit => $"Answer cache hit ({System.IO.Path.GetFileName(Path)}, {Detail}): not sent.",
        AnswerCacheOutcome.Expired => $"Answer cache expired ({System.IO.Path.GetFileName(Path)}, {Detail}): sending it again.",
        AnswerCacheOutcome.Unreadable => $"Answer cache miss: {System.IO.Path.GetFileName(Path)} is unreadable, so it is taken as a miss and will be written again ({Detail}).",
        _ => $"Answer cache miss ({System.IO.Path.GetFileName(Path)}): sending it.",
    };
}

/// <summary>One cached answer as its file holds it. Never the API key, nor the request.</summary>
internal sealed class AnswerCacheEntry
{
    public string RequestHash { get; set; } = string.Empty;

    public string? Model { get; set; }

    /// <summary>When the answer was made (its CreateTime) or, without one, when it was saved.</summary>
    public DateTimeOffset Saved { get; set; }

    public GenerateContentResponse? Response { get; set; }
}
