using System.Collections.Generic;

namespace CometGemini.HelpBuilder;

// The help of one cmdlet, as read from its markdown page. Texts are lists of paragraphs.

internal sealed record CommandHelp(
    string Name,
    string HelpFileName,
    string ModuleName,
    IReadOnlyList<string> Synopsis,
    IReadOnlyList<string> Description,
    IReadOnlyList<SyntaxHelp> Syntax,
    IReadOnlyList<ParameterHelp> Parameters,
    IReadOnlyList<TypeHelp> Inputs,
    IReadOnlyList<TypeHelp> Outputs,
    IReadOnlyList<string> Notes,
    IReadOnlyList<ExampleHelp> Examples,
    IReadOnlyList<LinkHelp> RelatedLinks)
{
    public string Verb => Name[..Name.IndexOf('-')];

    public string Noun => Name[(Name.IndexOf('-') + 1)..];
}

/// <summary>One parameter set, with its parameters in the order of its syntax line.</summary>
internal sealed record SyntaxHelp(string ParameterSet, bool IsDefault, IReadOnlyList<SyntaxParameterHelp> Parameters);

/// <summary>A parameter as it is in one parameter set.</summary>
internal sealed record SyntaxParameterHelp(ParameterHelp Parameter, ParameterAttributes Attributes);

/// <summary>A parameter; <see cref="Attributes"/> are those of its first yaml block.</summary>
internal sealed record ParameterHelp(string Name, IReadOnlyList<string> Description, ParameterAttributes Attributes);

internal sealed record ParameterAttributes(
    string Type,
    bool Required,
    string Position,
    string PipelineInput,
    bool Globbing,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<string> AcceptedValues,
    string DefaultValue)
{
    public bool IsSwitch => Type is "SwitchParameter" or "System.Management.Automation.SwitchParameter";

    public bool IsArray => Type.EndsWith("[]", System.StringComparison.Ordinal);
}

internal sealed record TypeHelp(string TypeName, IReadOnlyList<string> Description);

/// <summary>An example: prose before its code (rare), the code blocks that open it, then the remarks.</summary>
internal sealed record ExampleHelp(string Title, IReadOnlyList<string> Introduction, string Code, IReadOnlyList<string> Remarks);

internal sealed record LinkHelp(string Text, string Uri);
