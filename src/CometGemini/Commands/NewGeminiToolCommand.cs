using System.Management.Automation;
using System.Text.Json;

namespace CometGemini.Commands;

[Cmdlet(VerbsCommon.New, "GeminiTool", DefaultParameterSetName = SchemaSet)]
[OutputType(typeof(GeminiTool))]
public sealed class NewGeminiToolCommand : PSCmdlet
{
    private const string SchemaSet = "Schema";
    private const string JsonSchemaSet = "JsonSchema";

    private const string RawSet = "Raw";

    // By property name, so declarations kept as data (ConvertFrom-Json, Import-Csv) become tools in one pipeline.
    [Parameter(ParameterSetName = SchemaSet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = JsonSchemaSet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidatePattern("^[A-Za-z_][A-Za-z0-9_.:-]{0,127}$")]
    public string Name { get; set; } = string.Empty;

    [Parameter(ParameterSetName = SchemaSet, Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = JsonSchemaSet, Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Description { get; set; } = string.Empty;

    // A whole tools entry, sent as given: fileSearch, computerUse, mcpServers, or a kind of tool newer than the module.
    [Parameter(ParameterSetName = RawSet, Mandatory = true, Position = 0)]
    [ValidateNotNull]
    public object? Raw { get; set; }

    [Parameter(ParameterSetName = SchemaSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNull]
    public object? Parameters { get; set; }

    [Parameter(ParameterSetName = JsonSchemaSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNull]
    public object? ParametersJsonSchema { get; set; }

    [Parameter(ParameterSetName = SchemaSet)]
    [Parameter(ParameterSetName = JsonSchemaSet)]
    [ValidateNotNull]
    public ScriptBlock? ScriptBlock { get; set; }

    [Parameter(ParameterSetName = SchemaSet)]
    [Parameter(ParameterSetName = JsonSchemaSet)]
    public SwitchParameter ReadOnly { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == RawSet)
        {
            GeminiTool tool = ToolResolver.FromJson(this, Raw, Raw!);
            if (!tool.IsRaw)
            {
                ThrowTerminatingError(ErrorRecords.Usage(
                    $"-Raw got a function declaration ('{tool.Name}'), not a whole tool.",
                    "GeminiToolInvalid",
                    ErrorCategory.InvalidArgument,
                    Raw,
                    "Declare functions with New-GeminiTool -Name -Description -Parameters; give -Raw a tools entry such as @{ fileSearch = @{ fileSearchStoreNames = @('fileSearchStores/abc') } }."));
            }

            WriteObject(tool);
            return;
        }

        JsonElement? parameters = null, jsonSchema = null;
        try
        {
            if (Parameters is not null)
                parameters = PSJson.FromObjectOrJsonText(Parameters, nameof(Parameters));
            if (ParametersJsonSchema is not null)
                jsonSchema = PSJson.FromObjectOrJsonText(ParametersJsonSchema, nameof(ParametersJsonSchema));
        }
        catch (System.ArgumentException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "GeminiToolInvalid", ErrorCategory.InvalidArgument, Name));
        }

        WriteObject(ToolDeclarations.FromSchema(Name, Description, parameters, jsonSchema, ScriptBlock, ReadOnly.IsPresent));
    }
}
