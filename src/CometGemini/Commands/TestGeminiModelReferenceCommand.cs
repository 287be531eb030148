using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using System.Text.RegularExpressions;
using CometGemini.Client;
using CometGemini.Completion;

namespace CometGemini.Commands;

/// <summary>
/// Scans scripts and scheduled-task files for model ids and reports those the endpoint lists as deprecated or does not
/// list at all, with file and line: a CI job over a report repository fails before a nightly job meets a shut-down model.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "GeminiModelReference", DefaultParameterSetName = PathSet)]
[OutputType(typeof(GeminiModelReference))]
public sealed class TestGeminiModelReferenceCommand : ApiCommand
{
    // Large enough for any script or task file; a bigger file is data, not a script, and is skipped with a warning.
    private const long MaxFileSize = 16L * 1024 * 1024;
    private const int ShownLine = 200;

    private static readonly string[] DefaultInclude =
    {
        "*.ps1", "*.psm1", "*.psd1", "*.ps1xml", "*.json", "*.jsonc", "*.xml", "*.yml", "*.yaml", "*.txt", "*.md",
        "*.cmd", "*.bat", "*.sh", "*.config", "*.ini", "*.toml", "*.env",
    };

    // A model id: a family, then dash-separated segments; "models/" before it is left out.
    private static readonly Regex Candidate = new(
        @"(?<![A-Za-z0-9_./-])(?:models/)?((?:gemini|gemma|imagen|veo|learnlm|text-embedding|embedding)(?:-[a-z0-9]+(?:\.[a-z0-9]+)*)+)(?![A-Za-z0-9_-])",
        RegexOptions.CultureInvariant);

    // Ids carry a version (2.5, 3, 001) or end in -latest; a date-like run of 5+ digits is a file name, not a model.
    private static readonly Regex Versioned = new(@"-(\d{1,3}(\.\d{1,2})?)(-|$)|-latest$", RegexOptions.CultureInvariant);
    private static readonly Regex LongNumber = new(@"\d{5,}", RegexOptions.CultureInvariant);

    private IReadOnlyList<GeminiModel>? _listed;
    private bool _looked;

    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = PathSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    /// <summary>File name patterns scanned in folders; "*" takes every file (scheduled-task files have no extension).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] Include { get; set; } = DefaultInclude;

    /// <summary>Also write the references that are current.</summary>
    [Parameter]
    public SwitchParameter All { get; set; }

    protected override void BeginProcessing() => Connect();

    protected override void ProcessRecord()
    {
        bool literal = ParameterSetName == LiteralPathSet;
        foreach (string pattern in literal ? LiteralPath : Path)
        {
            foreach (string file in Files(pattern, literal))
                Scan(file);
        }
    }

    private IEnumerable<string> Files(string pattern, bool literal)
    {
        IReadOnlyList<string> resolved;
        try
        {
            resolved = literal
                ? new[] { SessionState.Path.GetUnresolvedProviderPathFromPSPath(pattern) }.Where(p => File.Exists(p) || Directory.Exists(p)).ToList()
                : GetResolvedProviderPathFromPSPath(pattern, out ProviderInfo provider).Where(_ => provider.Name == "FileSystem").ToList();
        }
        catch (Exception e) when (e is SessionStateException or NotSupportedException or ArgumentException)
        {
            WriteError(ErrorRecords.FromInput(e, "GeminiPathNotFound", pattern));
            yield break;
        }

        if (resolved.Count == 0)
            WriteError(ErrorRecords.FromInput(new FileNotFoundException($"No file or folder matches '{pattern}'."), "GeminiPathNotFound", pattern));
        var patterns = Include.Select(p => new WildcardPattern(p, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant)).ToList();
        foreach (string path in resolved)
        {
            if (!Directory.Exists(path))
            {
                yield return path; // a file named outright is scanned whatever its name
                continue;
            }

            IEnumerable<string> inFolder;
            try
            {
                inFolder = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => patterns.Any(p => p.IsMatch(System.IO.Path.GetFileName(f))))
                    .OrderBy(f => f, StringComparer.Ordinal)
                    .ToList();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                WriteError(ErrorRecords.FromInput(e, "GeminiFileUnreadable", path));
                continue;
            }

            foreach (string file in inFolder)
                yield return file;
        }
    }

    private void Scan(string file)
    {
        var info = new FileInfo(file);
        // Devices, FIFOs and sockets report no length: nothing to scan, and reading one could block or never end.
        if (!info.Exists || info.Length == 0)
            return;
        if (info.Length > MaxFileSize)
        {
            WriteWarning($"Skipped '{file}': {info.Length:N0} bytes is more than a script ({MaxFileSize:N0} bytes).");
            return;
        }

        string[] lines;
        try
        {
            byte[] bytes = File.ReadAllBytes(file);
            if (IsBinary(bytes))
                return;
            using var reader = new StreamReader(new MemoryStream(bytes), new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
            lines = reader.ReadToEnd().Split('\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            WriteError(ErrorRecords.FromInput(e, "GeminiFileUnreadable", file));
            return;
        }

        for (int i = 0; i < lines.Length; i++)
        {
            if (StopToken.IsCancellationRequested)
                throw new PipelineStoppedException(); // Ctrl+C ends a long scan between lines
            foreach (Match match in Candidate.Matches(lines[i]))
            {
                string id = match.Groups[1].Value.TrimEnd('.');
                if (!Versioned.IsMatch(id) || LongNumber.IsMatch(id))
                    continue;
                GeminiModelReference reference = Check(id);
                if (!All.IsPresent && reference.Status == "Current")
                    continue;
                reference.Path = file;
                reference.LineNumber = i + 1;
                reference.Line = Shown(lines[i].Trim());
                WriteObject(reference);
            }
        }
    }

    private GeminiModelReference Check(string id)
    {
        IReadOnlyList<GeminiModel>? listed = Listed();
        if (listed is null)
        {
            bool known = CurrentModels.Find(id) is not null || CurrentModels.Embedding.Contains(id, StringComparer.OrdinalIgnoreCase);
            return new GeminiModelReference
            {
                Model = id,
                Status = known ? "Current" : "Unknown",
                Detail = known ? "a current model this module knows (the endpoint serves no list)" : "not a current model this module knows (the endpoint serves no list to check)",
            };
        }

        GeminiModel? model = listed.FirstOrDefault(m => string.Equals(m.Name, id, StringComparison.OrdinalIgnoreCase))
            ?? listed.FirstOrDefault(m => CurrentModels.SameModel(m.Name, id));
        if (model is null)
            return new GeminiModelReference { Model = id, Status = "NotListed", Detail = $"{Endpoint.BaseUri.GetLeftPart(UriPartial.Authority)} does not list it" };
        return model.IsDeprecated
            ? new GeminiModelReference { Model = id, Status = "Deprecated", Detail = FunctionCall.Visible(model.ModelStatus!.ToString()) }
            : new GeminiModelReference { Model = id, Status = "Current", Detail = model.Stage };
    }

    // The endpoint's list, fetched once; null (after one warning) when the endpoint serves none.
    private IReadOnlyList<GeminiModel>? Listed()
    {
        if (_looked)
            return _listed;
        _looked = true;
        try
        {
            List<GeminiModel>? models = null;
            RunAsync(async (outbox, token) => models = await Client.Models.ListAsync(outbox, token).ConfigureAwait(false));
            ModelCatalog.Remember(Endpoint, models!);
            _listed = models;
        }
        catch (GeminiException e) when (e.StatusCode == 404 || e.Failure is GeminiFailure.Protocol or GeminiFailure.WrongEndpoint)
        {
            WriteWarning($"{Endpoint.BaseUri.GetLeftPart(UriPartial.Authority)} serves no model list, so each id is checked against the current models this module knows; an id it does not know is reported as Unknown.");
        }

        return _listed;
    }

    private static bool IsBinary(byte[] bytes)
    {
        bool utf16 = bytes.Length >= 2 && (bytes[0] == 0xFF && bytes[1] == 0xFE || bytes[0] == 0xFE && bytes[1] == 0xFF);
        return !utf16 && Array.IndexOf(bytes, (byte)0, 0, Math.Min(bytes.Length, 8192)) >= 0;
    }

    private static string Shown(string line)
    {
        if (line.Length <= ShownLine)
            return FunctionCall.Visible(line.TrimEnd('\r'));
        int cut = char.IsHighSurrogate(line[ShownLine - 1]) ? ShownLine - 1 : ShownLine;
        return FunctionCall.Visible(line.Substring(0, cut)) + "…";
    }
}
