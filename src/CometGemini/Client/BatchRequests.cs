using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;

namespace CometGemini.Client;

/// <summary>
/// The requests of one batch job as they are collected, each under its key: in memory while their total stays under the
/// inline limit, else in a JSONL file on disk (one {"key", "request"} a line) for the Files API. The file is owner-only
/// (0600) in an owner-only folder the caller names (never the shared temp folder): the requests are the user's prompts.
/// Deletes the file and its folder once the upload is over (<see cref="DeleteFile"/>), and on Dispose.
/// </summary>
internal sealed class BatchRequests : IDisposable
{
    private static readonly byte[] NewLine = { (byte)'\n' };

    private readonly long _inlineLimit;
    private readonly Func<string> _newFolder;
    private readonly List<(string Key, byte[] Request)> _inline = new();
    private long _bytes;
    private FileStream? _file;
    private string? _path;

    /// <param name="inlineLimit">Bytes of requests sent inline at most; over that they go to a file.</param>
    /// <param name="newFolder">Makes the owner-only folder of this batch's file, when one is needed.</param>
    public BatchRequests(long inlineLimit, Func<string> newFolder)
    {
        _inlineLimit = inlineLimit;
        _newFolder = newFolder;
    }

    public int Count { get; private set; }

    /// <summary>The bytes of the requests as sent.</summary>
    public long Bytes => _bytes;

    /// <summary>The JSONL file, once the requests outgrew the inline limit; null while they are sent inline.</summary>
    public string? FilePath => _path;

    public void Add(string key, byte[] request)
    {
        Count++;
        _bytes += request.Length;
        if (_path is null && _bytes > _inlineLimit)
            Spill();
        if (_file is not null)
            WriteLine(key, request);
        else
            _inline.Add((key, request));
    }

    /// <summary>Ends the file (when there is one), so it can be uploaded.</summary>
    public void Complete()
    {
        _file?.Dispose();
        _file = null;
    }

    /// <summary>The batchGenerateContent body: the requests inline, or the uploaded file's name.</summary>
    public byte[] CreateBody(string model, string displayName, string? fileName) =>
        GeminiClient.JsonObject(w =>
        {
            w.WriteStartObject("batch");
            w.WriteString("model", ModelNames.ResourceName(model));
            w.WriteString("displayName", displayName);
            w.WriteStartObject("inputConfig");
            if (fileName is not null)
            {
                w.WriteString("fileName", fileName);
            }
            else
            {
                w.WriteStartObject("requests");
                w.WriteStartArray("requests");
                foreach ((string key, byte[] request) in _inline)
                {
                    w.WriteStartObject();
                    w.WritePropertyName("request");
                    w.WriteRawValue(request, skipInputValidation: true);
                    w.WriteStartObject("metadata");
                    w.WriteString("key", key);
                    w.WriteEndObject();
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteEndObject();
        });

    public void Dispose() => DeleteFile();

    /// <summary>Removes the file and its folder (the upload is over, or never happened). Failing to is not an error: the next job's start retries.</summary>
    public void DeleteFile()
    {
        Complete();
        if (_path is null)
            return;
        try
        {
            File.Delete(_path);
            Directory.Delete(Path.GetDirectoryName(_path)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // left for the next Start-GeminiBatchJob, which removes what a finished session left behind
        }
    }

    private void Spill()
    {
        string path = Path.Combine(_newFolder(), "requests.jsonl");
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 81920);
        _path = path;
        PrivateFiles.OwnerOnly(path);
        foreach ((string key, byte[] request) in _inline)
            WriteLine(key, request);
        _inline.Clear();
    }

    private void WriteLine(string key, byte[] request)
    {
        using (var writer = new Utf8JsonWriter(_file!))
        {
            writer.WriteStartObject();
            writer.WriteString("key", key);
            writer.WritePropertyName("request");
            writer.WriteRawValue(request, skipInputValidation: true);
            writer.WriteEndObject();
        }

        _file!.Write(NewLine, 0, 1);
    }
}
