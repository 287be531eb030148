using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CometGemini.Client;
using CometGemini.Completion;

namespace CometGemini.Commands;

[Cmdlet(VerbsCommon.Get, "GeminiModel")]
[OutputType(typeof(GeminiModel))]
public sealed class GetGeminiModelCommand : ApiCommand
{
    private List<GeminiModel>? _models;
    private bool _listFailed;

    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Model")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ModelNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Only models the endpoint marks deprecated, retired or legacy, or names a retirement time for.</summary>
    [Parameter]
    public SwitchParameter Deprecated { get; set; }

    protected override void BeginProcessing() => Connect();

    protected override void ProcessRecord()
    {
        if (Name is null)
        {
            foreach (GeminiModel model in List().Where(Wanted))
                WriteObject(model);
            return;
        }

        foreach (string name in Name)
        {
            string id = ModelNames.Id(name);
            if (WildcardPattern.ContainsWildcardCharacters(id))
            {
                var pattern = new WildcardPattern(id, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
                foreach (GeminiModel model in List().Where(m => pattern.IsMatch(m.Name) && Wanted(m)))
                    WriteObject(model);
            }
            else
            {
                WriteOne(id);
            }
        }
    }

    private void WriteOne(string id)
    {
        if (!GeminiClient.IsValidModelName(id))
        {
            WriteError(ErrorRecords.Usage(
                $"'{id}' is not a model name. Model names look like 'gemini-3-flash-preview' (or 'models/gemini-3-flash-preview', 'tunedModels/…'); wildcards such as '*flash*' filter the list.",
                "GeminiModelNameInvalid",
                ErrorCategory.InvalidArgument,
                id));
            return;
        }

        try
        {
            GeminiModel? model = null;
            RunAsync(async (outbox, token) => model = await Client.Models.GetAsync(id, outbox, token).ConfigureAwait(false));
            if (Wanted(model!))
                WriteObject(model);
        }
        catch (GeminiException e)
        {
            WriteGeminiError(e, id);
        }
    }

    private bool Wanted(GeminiModel model) => !Deprecated.IsPresent || model.IsDeprecated;

    /// <summary>Every model of the endpoint, fetched once per command; empty (after one error) when the endpoint has no list.</summary>
    private List<GeminiModel> List()
    {
        if (_models is not null || _listFailed)
            return _models ?? new List<GeminiModel>();
        try
        {
            RunAsync(async (outbox, token) => _models = await Client.Models.ListAsync(outbox, token).ConfigureAwait(false));
            ModelCatalog.Remember(Endpoint, _models!);
            return _models!;
        }
        catch (GeminiException e) when (e.StatusCode == 404 || e.Failure is GeminiFailure.Protocol or GeminiFailure.WrongEndpoint)
        {
            _listFailed = true;
            WriteError(NoModelList(Secrets.Redact(e, Endpoint.ApiKey)));
        }
        catch (GeminiException e)
        {
            _listFailed = true;
            WriteGeminiError(e, Endpoint.BaseUri);
        }

        return new List<GeminiModel>();
    }

    // CometAPI relays the generation methods but may not serve models.list; say so, and where a list can be had.
    private ErrorRecord NoModelList(GeminiException e)
    {
        string host = Endpoint.BaseUri.GetLeftPart(UriPartial.Authority);
        return new ErrorRecord(e, "GeminiModelListUnavailable", ErrorCategory.ObjectNotFound, Endpoint.BaseUri)
        {
            ErrorDetails = new ErrorDetails($"{host} does not serve Gemini's model list ({(e.StatusCode == 404 ? ModelsClient.ListCall + " answered 404" : e.Message.TrimEnd('.'))}). CometAPI may not offer it; generating still works with any model id it serves.")
            {
                RecommendedAction = "Press Tab after -Model for the models this module knows, name one model (Get-GeminiModel gemini-3-flash-preview), or list Google's models: Get-GeminiModel -BaseUri https://generativelanguage.googleapis.com -ApiKey $env:GEMINI_API_KEY",
            },
        };
    }
}
