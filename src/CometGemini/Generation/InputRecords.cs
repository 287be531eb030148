using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using CometGemini.Commands;

namespace CometGemini.Generation;

/// <summary>One input as a part: what the user gave (a string, a file, an object) and the file it came from.</summary>
internal sealed record InputItem(Part Part, object? Input, string? SourcePath);

/// <summary>Why an input was not sent. An empty file is only a warning; anything else was an error.</summary>
internal sealed record Refusal(object? Input, string Reason, bool IsEmptyFile);

/// <summary>
/// The one way a command's pipeline record becomes inputs: -Path patterns, -LiteralPath files and -InputObject
/// objects (a file object is its file; any other object is what <c>describe</c> makes of it). Every generating command,
/// New-GeminiCache and Get-GeminiEmbedding take their inputs through it; what they make of the inputs is their own.
/// An input that cannot be read gets its warning or error here and is reported to <c>refused</c>.
/// </summary>
internal sealed class InputRecords
{
    private readonly PSCmdlet _command;
    private readonly Action<Refusal> _refused;
    private readonly long _maxInlineBytes;
    private readonly Encoding? _encoding;
    private readonly Func<string, string, (Part? Part, ErrorRecord? Error)>? _upload;
    private readonly bool _literalPathFromArguments;
    private IReadOnlyList<string>? _matchingFiles;
    private string? _lastPipedPaths;
    private bool _toldSameFile;

    /// <param name="upload">Takes a file over <paramref name="maxInlineBytes"/> through the Files API (-Upload, -AutoUpload); see FileInput.Read.</param>
    public InputRecords(
        PSCmdlet command,
        Action<Refusal>? refused = null,
        long maxInlineBytes = PartFactory.DefaultMaxInlineBytes,
        Encoding? encoding = null,
        Func<string, string, (Part? Part, ErrorRecord? Error)>? upload = null)
    {
        _upload = upload;
        _command = command;
        _refused = refused ?? (_ => { });
        _maxInlineBytes = maxInlineBytes;
        _encoding = encoding;
        _literalPathFromArguments = command.MyInvocation.BoundParameters.ContainsKey("LiteralPath");
    }

    /// <summary>
    /// The inputs of one record: the files -Path names, else the -LiteralPath files, else the objects. Null and empty
    /// arguments are left out, so a command passes all three and its parameter sets decide which is there.
    /// </summary>
    public IEnumerable<InputItem> Record(string[]? path, string[]? literalPath, IEnumerable<object?>? objects, Func<object?, InputItem?>? describe)
    {
        if (path is { Length: > 0 })
            return Matching(path).Select(file => File(file)).OfType<InputItem>();
        if (literalPath is { Length: > 0 })
            return IsSameFileAsBefore(literalPath) ? Array.Empty<InputItem>() : literalPath.Select(file => File(file)).OfType<InputItem>();
        if (objects is not null)
            return Objects(objects, describe ?? (_ => null));
        return Array.Empty<InputItem>();
    }

    /// <summary>The files <paramref name="patterns"/> name, resolved once: before the first request, so a progress bar knows the total.</summary>
    public IReadOnlyList<string> Matching(string[] patterns) =>
        _matchingFiles ??= patterns.SelectMany(pattern => FilePatterns.Resolve(_command, pattern)).ToList();

    /// <summary>The file when <paramref name="item"/> is a file-system object (a folder too: it gets the folder's error).</summary>
    public static FileSystemInfo? AsFile(object? item) => PSObjects.UnwrapUnlessCustom(item) as FileSystemInfo;

    private IEnumerable<InputItem> Objects(IEnumerable<object?> objects, Func<object?, InputItem?> describe)
    {
        foreach (object? item in objects)
        {
            InputItem? input = AsFile(item) is { } file ? File(file.FullName) : describe(item);
            if (input is not null)
                yield return input;
        }
    }

    // One file's input, or null when it was refused (its warning or error written, and reported).
    private InputItem? File(string path)
    {
        FileInput file = FileInput.Read(_command.SessionState, path, mimeType: null, maxInlineBytes: _maxInlineBytes, encoding: _encoding, upload: _upload);
        if (file.Warning is not null)
            _command.WriteWarning(file.Warning);
        if (file.IsEmpty)
        {
            // Not an error: an empty log in a folder of logs is no failure of the run, but it is said and counted.
            _command.WriteWarning(file.Reason);
            _refused(new Refusal(new FileInfo(file.FullPath), file.Reason!, IsEmptyFile: true));
            return null;
        }

        if (file.Error is not null)
        {
            _command.WriteError(file.Error);
            _refused(new Refusal(System.IO.File.Exists(file.FullPath) ? new FileInfo(file.FullPath) : path, file.Reason!, IsEmptyFile: false));
            return null;
        }

        return new InputItem(file.Part!, new FileInfo(file.FullPath), file.FullPath);
    }

    // Lines from Get-Content each carry their file's PSPath, so piped with -Prompt every line binds as the file:
    // a 1000-line log would be sent 1000 times. A path piped again right after itself is that file already sent.
    private bool IsSameFileAsBefore(string[] paths)
    {
        if (_literalPathFromArguments)
            return false;
        string key = string.Join("\n", paths);
        if (key == _lastPipedPaths)
        {
            if (!_toldSameFile)
                _command.WriteVerboseLine($"'{paths[0]}' came down the pipeline again (lines read from it?); it was sent once.");
            _toldSameFile = true;
            return true;
        }

        _lastPipedPaths = key;
        return false;
    }
}
