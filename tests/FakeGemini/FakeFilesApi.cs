using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;

namespace FakeGemini;

/// <summary>
/// Gemini's Files API in memory: the resumable upload (start, query, upload, finalize, at any offset), files get / list
/// (paged) / delete, and the download of a file's bytes. A new file is PROCESSING for <see cref="ProcessingPolls"/> GETs,
/// then ACTIVE, or FAILED when <see cref="FailProcessing"/> is set. <see cref="CutUploadAfter"/> breaks the connection
/// once in the middle of an upload, keeping that many bytes, so a client must ask (a query) and resume;
/// <see cref="Unavailable"/> answers every file route with a 404 as a proxy without the Files API may.
/// Batch Mode keeps its requests and results files here too.
/// </summary>
public sealed class FakeFilesApi
{
    private readonly object _gate = new();
    private readonly Uri _baseUri;
    private readonly Dictionary<string, byte[]> _content = new(StringComparer.Ordinal);
    private readonly List<FakeFile> _files = new();
    private readonly Dictionary<string, Upload> _uploads = new(StringComparer.Ordinal);
    private int _nextId;
    private volatile int _processingPolls;
    private volatile bool _failProcessing;
    private volatile bool _unavailable;
    private volatile int _maxPageSize = 100;
    private long _cutUploadAfter = -1;

    private readonly Func<bool> _batchModeUnavailable;

    // A proxy without Batch Mode (FakeBatchMode.Unavailable) has no Files API either.
    internal FakeFilesApi(Uri baseUri, Func<bool> batchModeUnavailable)
    {
        _baseUri = baseUri;
        _batchModeUnavailable = batchModeUnavailable;
    }

    /// <summary>How many GETs a new file answers PROCESSING before it is ACTIVE (or FAILED). 0 = ready at the upload.</summary>
    public int ProcessingPolls
    {
        get => _processingPolls;
        set => _processingPolls = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    /// <summary>New files end FAILED (with an error message) instead of ACTIVE.</summary>
    public bool FailProcessing
    {
        get => _failProcessing;
        set => _failProcessing = value;
    }

    /// <summary>Answer the upload, files and download routes with a 404 in CometAPI's envelope: an endpoint without the Files API.</summary>
    public bool Unavailable
    {
        get => _unavailable;
        set => _unavailable = value;
    }

    /// <summary>Largest page files.list returns, whatever pageSize asks (to exercise paging).</summary>
    public int MaxPageSize
    {
        get => _maxPageSize;
        set => _maxPageSize = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    /// <summary>
    /// Once: keep only this many bytes of the next upload's body and reset the connection instead of answering; the
    /// upload can then be resumed from there (a query answers the offset). Negative = never (the default).
    /// </summary>
    public long CutUploadAfter
    {
        get => Interlocked.Read(ref _cutUploadAfter);
        set => Interlocked.Exchange(ref _cutUploadAfter, value);
    }

    /// <summary>The bytes of the uploaded and generated files by name ("files/…").</summary>
    public IReadOnlyDictionary<string, byte[]> Content
    {
        get
        {
            lock (_gate)
                return new Dictionary<string, byte[]>(_content);
        }
    }

    /// <summary>The names of the files that exist (uploaded, not deleted), oldest first.</summary>
    public IReadOnlyList<string> Names
    {
        get
        {
            lock (_gate)
                return _files.Select(f => f.Name).ToArray();
        }
    }

    /// <summary>Adds a file as if it had been uploaded (for list and delete tests); returns its name.</summary>
    public string Seed(string displayName, string mimeType, byte[] content)
    {
        lock (_gate)
            return Add(displayName, mimeType, content).Name;
    }

    internal bool TryGetContent(string name, out byte[] content)
    {
        lock (_gate)
            return _content.TryGetValue(name, out content!);
    }

    internal void PutContent(string name, byte[] content)
    {
        lock (_gate)
            _content[name] = content;
    }

    /// <summary>The reply for a file route, or null for anything else.</summary>
    internal FakeReply? Answer(RecordedRequest request, string expectedKey, FakeGeminiOptions options)
    {
        string path = request.Path;
        bool fileRoute = path == "/upload/v1beta/files" || path.StartsWith("/download/v1beta/files/", StringComparison.Ordinal)
            || path == "/v1beta/files" || path.StartsWith("/v1beta/files/", StringComparison.Ordinal);
        if (!fileRoute)
            return null;
        if (Unavailable || _batchModeUnavailable())
            return FakeReply.CometError(404, $"Invalid URL ({request.Method} {path})", "", "invalid_request_error");
        if (DefaultGemini.CheckKey(request, expectedKey, options) is FakeReply refusal)
            return refusal;

        lock (_gate)
        {
            return (request.Method, path) switch
            {
                ("POST", "/upload/v1beta/files") => UploadStep(request),
                ("GET", _) when path.StartsWith("/download/v1beta/files/", StringComparison.Ordinal) && request.Query("alt") == "media" =>
                    Download(path.Substring("/download/v1beta/".Length).Replace(":download", "", StringComparison.Ordinal)),
                ("GET", "/v1beta/files") => List(request),
                ("GET", _) => Get(path.Substring("/v1beta/".Length)),
                ("DELETE", _) when path.StartsWith("/v1beta/files/", StringComparison.Ordinal) => Delete(path.Substring("/v1beta/".Length)),
                _ => FakeReply.Json(404, GeminiJson.Error(404, "NOT_FOUND", $"Method not found: {request.Method} {path}")),
            };
        }
    }

    private FakeReply UploadStep(RecordedRequest request)
    {
        string command = (request.Headers.GetValueOrDefault("X-Goog-Upload-Command") ?? "").Replace(" ", "", StringComparison.Ordinal);
        if (request.Query("upload_id") is not { } uploadId)
            return Start(request, command);
        if (!_uploads.TryGetValue(uploadId, out Upload? upload))
            return FakeReply.Json(404, GeminiJson.Error(404, "NOT_FOUND", "No such upload."));
        if (command == "query")
            return Status(upload, "active");

        string[] steps = command.Split(',');
        if (!steps.Contains("upload") && !steps.Contains("finalize"))
            return BadRequest($"Unknown X-Goog-Upload-Command '{command}'.");
        if (!long.TryParse(request.Headers.GetValueOrDefault("X-Goog-Upload-Offset"), NumberStyles.None, CultureInfo.InvariantCulture, out long offset) || offset != upload.Received.Length)
            return BadRequest($"X-Goog-Upload-Offset must be {upload.Received.Length} (the bytes received); query the upload to learn it.");

        long cut = CutUploadAfter;
        if (cut >= 0 && request.Body.Length > 0)
        {
            CutUploadAfter = -1;
            upload.Received.Write(request.Body, 0, (int)Math.Min(cut, request.Body.Length));
            upload.Cuts++;
            return FakeReply.Json(200, "{}") with { ResetAfter = 0 };
        }

        upload.Received.Write(request.Body);
        if (!steps.Contains("finalize"))
            return Status(upload, "active");
        if (upload.Received.Length != upload.Length)
            return BadRequest($"The upload was finalized with {upload.Received.Length} bytes, but its start announced {upload.Length}.");
        _uploads.Remove(uploadId);
        FakeFile file = Add(upload.DisplayName, upload.MimeType, upload.Received.ToArray());
        return FakeReply.Json(200, GeminiJson.Write(true, w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("file");
            Write(w, file);
            w.WriteEndObject();
        }), ("X-Goog-Upload-Status", "final"));
    }

    private FakeReply Start(RecordedRequest request, string command)
    {
        if (command != "start" || request.Headers.GetValueOrDefault("X-Goog-Upload-Protocol") != "resumable")
            return BadRequest("Upload requests must use X-Goog-Upload-Protocol: resumable and start with X-Goog-Upload-Command: start.");
        if (!long.TryParse(request.Headers.GetValueOrDefault("X-Goog-Upload-Header-Content-Length"), NumberStyles.None, CultureInfo.InvariantCulture, out long length))
            return BadRequest("X-Goog-Upload-Header-Content-Length is required.");
        string? displayName = request.Json?.RootElement is { ValueKind: JsonValueKind.Object } root && GeminiJson.TryGet(root, "file", out JsonElement file)
            && GeminiJson.TryGet(file, "displayName", out JsonElement shown) ? shown.GetString() : null;
        string id = "upload" + Convert.ToString(++_nextId, CultureInfo.InvariantCulture);
        _uploads[id] = new Upload(request.Headers.GetValueOrDefault("X-Goog-Upload-Header-Content-Type") ?? "application/octet-stream", displayName, length);
        return FakeReply.Raw(200, "text/plain; charset=utf-8", "",
            ("X-Goog-Upload-URL", $"{_baseUri.GetLeftPart(UriPartial.Authority)}/upload/v1beta/files?upload_id={id}&upload_protocol=resumable"),
            ("X-Goog-Upload-Status", "active"));
    }

    private static FakeReply Status(Upload upload, string status) =>
        FakeReply.Raw(200, "text/plain; charset=utf-8", "",
            ("X-Goog-Upload-Status", status),
            ("X-Goog-Upload-Size-Received", upload.Received.Length.ToString(CultureInfo.InvariantCulture)));

    private FakeFile Add(string? displayName, string mimeType, byte[] content)
    {
        var file = new FakeFile("files/" + "f" + Convert.ToString(++_nextId, CultureInfo.InvariantCulture) + "x" + (DateTime.UtcNow.Ticks % 100000).ToString(CultureInfo.InvariantCulture), displayName, mimeType, content.Length)
        {
            PollsLeft = ProcessingPolls,
            Fails = FailProcessing,
        };
        _files.Add(file);
        _content[file.Name] = content;
        return file;
    }

    private FakeReply Get(string name)
    {
        FakeFile? file = _files.FirstOrDefault(f => f.Name == name);
        if (file is null)
            return NotFound(name);
        if (file.PollsLeft > 0)
            file.PollsLeft--;
        return FakeReply.Json(200, GeminiJson.Write(true, w => Write(w, file)));
    }

    private FakeReply List(RecordedRequest request)
    {
        int size = int.TryParse(request.Query("pageSize"), NumberStyles.None, CultureInfo.InvariantCulture, out int asked) && asked > 0 ? asked : 10;
        size = Math.Min(size, MaxPageSize);
        int start = int.TryParse(request.Query("pageToken") is { Length: > 0 } token ? Encoding.UTF8.GetString(Convert.FromBase64String(token)) : "0", out int from) ? from : 0;
        FakeFile[] page = _files.AsEnumerable().Reverse().Skip(start).Take(size).ToArray();
        int next = start + page.Length;
        return FakeReply.Json(200, GeminiJson.Write(true, w =>
        {
            w.WriteStartObject();
            if (page.Length > 0)
            {
                w.WriteStartArray("files");
                foreach (FakeFile file in page)
                    Write(w, file);
                w.WriteEndArray();
            }

            if (next < _files.Count)
                w.WriteString("nextPageToken", Convert.ToBase64String(Encoding.UTF8.GetBytes(next.ToString(CultureInfo.InvariantCulture))));
            w.WriteEndObject();
        }));
    }

    private FakeReply Delete(string name)
    {
        FakeFile? file = _files.FirstOrDefault(f => f.Name == name);
        if (file is null)
            return NotFound(name);
        _files.Remove(file);
        _content.Remove(name);
        return FakeReply.Json(200, "{}\n");
    }

    private FakeReply Download(string name) =>
        _content.TryGetValue(name, out byte[]? content)
            ? FakeReply.Raw(200, "application/octet-stream", content)
            : NotFound(name);

    private void Write(Utf8JsonWriter w, FakeFile file)
    {
        w.WriteStartObject();
        w.WriteString("name", file.Name);
        if (file.DisplayName is not null)
            w.WriteString("displayName", file.DisplayName);
        w.WriteString("mimeType", file.MimeType);
        w.WriteString("sizeBytes", file.Size.ToString(CultureInfo.InvariantCulture));
        w.WriteString("createTime", file.Created.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture));
        w.WriteString("updateTime", file.Created.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture));
        w.WriteString("expirationTime", file.Created.AddHours(48).ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture));
        w.WriteString("sha256Hash", "ZmFrZQ==");
        w.WriteString("uri", $"{_baseUri.GetLeftPart(UriPartial.Authority)}/v1beta/{file.Name}");
        w.WriteString("state", file.PollsLeft > 0 ? "PROCESSING" : file.Fails ? "FAILED" : "ACTIVE");
        w.WriteString("source", "UPLOADED");
        if (file.PollsLeft == 0 && file.Fails)
        {
            w.WriteStartObject("error");
            w.WriteNumber("code", 3);
            w.WriteString("message", "The video could not be decoded.");
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static FakeReply NotFound(string name) =>
        FakeReply.Json(403, GeminiJson.Error(403, "PERMISSION_DENIED", $"You do not have permission to access the File {name.Replace("files/", "", StringComparison.Ordinal)} or it may not exist."));

    private static FakeReply BadRequest(string message) => FakeReply.Json(400, GeminiJson.Error(400, "INVALID_ARGUMENT", message));

    private sealed class Upload
    {
        public Upload(string mimeType, string? displayName, long length)
        {
            MimeType = mimeType;
            DisplayName = displayName;
            Length = length;
        }

        public string MimeType { get; }
        public string? DisplayName { get; }
        public long Length { get; }
        public System.IO.MemoryStream Received { get; } = new();
        public int Cuts { get; set; }
    }

    private sealed class FakeFile
    {
        public FakeFile(string name, string? displayName, string mimeType, long size)
        {
            Name = name;
            DisplayName = displayName;
            MimeType = mimeType;
            Size = size;
        }

        public string Name { get; }
        public string? DisplayName { get; }
        public string MimeType { get; }
        public long Size { get; }
        public DateTime Created { get; } = DateTime.UtcNow;
        public int PollsLeft { get; set; }
        public bool Fails { get; set; }
    }
}
