using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;
using System.Xml.Serialization;

namespace CometGemini.HelpBuilder;

/// <summary>Writes commands as one MAML help file (<c>Module.dll-Help.xml</c>), the format <c>Get-Help</c> reads.</summary>
internal static class MamlWriter
{
    private static readonly XmlSerializer s_serializer = new(typeof(MamlHelpItems));

    public static byte[] Write(IEnumerable<CommandHelp> commands)
    {
        var root = new MamlHelpItems { Commands = commands.Select(ToMaml).ToList() };
        var rootNamespaces = new XmlSerializerNamespaces();
        rootNamespaces.Add(string.Empty, MamlNs.Msh);
        var settings = new XmlWriterSettings
        {
            Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true),
            Indent = true,
            IndentChars = "  ",
            NewLineChars = "\n",
            NewLineHandling = NewLineHandling.Replace,
        };
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, settings))
        {
            s_serializer.Serialize(writer, root, rootNamespaces);
        }

        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }

    private static MamlCommand ToMaml(CommandHelp help) => new()
    {
        Details = new MamlDetails
        {
            Name = help.Name,
            Synopsis = [.. help.Synopsis],
            Verb = help.Verb,
            Noun = help.Noun,
        },
        Description = [.. help.Description],
        Syntax = help.Syntax.Select(s => new MamlSyntaxItem
        {
            Name = help.Name,
            Parameters = s.Parameters.Select(p => ToMaml(p.Parameter, p.Attributes, inSyntax: true)).ToList(),
        }).ToList(),
        Parameters = help.Parameters.Select(p => ToMaml(p, p.Attributes, inSyntax: false)).ToList(),
        InputTypes = help.Inputs.Select(ToMaml).ToList(),
        ReturnValues = help.Outputs.Select(ToMaml).ToList(),
        AlertSet = help.Notes.Count == 0 ? [] : [new MamlAlert { Paragraphs = [.. help.Notes] }],
        Examples = help.Examples.Select(e => new MamlExample
        {
            Title = $"-------------------------- {e.Title} --------------------------",
            // PowerShell prints the introduction untrimmed right before the code: end it with a line break.
            Introduction = e.Introduction.Count == 0 ? null : [.. e.Introduction.SkipLast(1), e.Introduction[^1] + "\n\n"],
            Code = e.Code,
            Remarks = [.. e.Remarks],
        }).ToList(),
        RelatedLinks = help.RelatedLinks.Select(l => new MamlNavigationLink { LinkText = l.Text, Uri = l.Uri }).ToList(),
    };

    private static MamlParameter ToMaml(ParameterHelp parameter, ParameterAttributes attributes, bool inSyntax) => new()
    {
        Required = Bool(attributes.Required),
        VariableLength = Bool(attributes.IsArray),
        Globbing = Bool(attributes.Globbing),
        PipelineInput = attributes.PipelineInput,
        Position = attributes.Position,
        Aliases = attributes.Aliases.Count == 0 ? "none" : string.Join(", ", attributes.Aliases),
        Name = parameter.Name,
        Description = [.. parameter.Description],
        ValueGroup = inSyntax && attributes.AcceptedValues.Count > 0
            ? attributes.AcceptedValues.Select(v => new MamlParameterValue { Required = "false", VariableLength = "false", Value = v }).ToList()
            : null,
        // In syntax a switch has no value ([-Force], not [-Force <SwitchParameter>]).
        Value = inSyntax && attributes.IsSwitch
            ? null
            : new MamlParameterValue { Required = Bool(!attributes.IsSwitch), VariableLength = Bool(attributes.IsArray), Value = attributes.Type },
        Type = new MamlType { Name = attributes.Type, Uri = string.Empty },
        DefaultValue = attributes.DefaultValue,
    };

    private static MamlTypedText ToMaml(TypeHelp type) => new()
    {
        Type = new MamlType { Name = type.TypeName, Uri = string.Empty },
        Description = [.. type.Description],
    };

    private static string Bool(bool value) => value ? "true" : "false";
}

internal static class MamlNs
{
    public const string Msh = "http://msh";
    public const string Maml = "http://schemas.microsoft.com/maml/2004/10";
    public const string Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    public const string Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
    public const string MSHelp = "http://msdn.microsoft.com/mshelp";
}

// The typed MAML model. Element order is fixed by Order; PowerShell's reader matches element names by local name
// and groups repeated elements into arrays, so every list here is a run of same-named siblings.

[XmlRoot("helpItems", Namespace = MamlNs.Msh)]
public sealed class MamlHelpItems
{
    [XmlAttribute("schema")]
    public string Schema { get; set; } = "maml";

    [XmlElement("command", Namespace = MamlNs.Command)]
    public List<MamlCommand> Commands { get; set; } = [];
}

public sealed class MamlCommand
{
    /// <summary>Each command declares the MAML prefixes itself, as PowerShell's own help files do.</summary>
    [XmlNamespaceDeclarations]
    public XmlSerializerNamespaces Namespaces { get; set; } = new(
    [
        new XmlQualifiedName("maml", MamlNs.Maml),
        new XmlQualifiedName("command", MamlNs.Command),
        new XmlQualifiedName("dev", MamlNs.Dev),
        new XmlQualifiedName("MSHelp", MamlNs.MSHelp),
    ]);

    [XmlElement("details", Namespace = MamlNs.Command, Order = 0)]
    public MamlDetails Details { get; set; } = new();

    [XmlArray("description", Namespace = MamlNs.Maml, Order = 1)]
    [XmlArrayItem("para", Namespace = MamlNs.Maml)]
    public List<string> Description { get; set; } = [];

    [XmlArray("syntax", Namespace = MamlNs.Command, Order = 2)]
    [XmlArrayItem("syntaxItem", Namespace = MamlNs.Command)]
    public List<MamlSyntaxItem> Syntax { get; set; } = [];

    [XmlArray("parameters", Namespace = MamlNs.Command, Order = 3)]
    [XmlArrayItem("parameter", Namespace = MamlNs.Command)]
    public List<MamlParameter> Parameters { get; set; } = [];

    [XmlArray("inputTypes", Namespace = MamlNs.Command, Order = 4)]
    [XmlArrayItem("inputType", Namespace = MamlNs.Command)]
    public List<MamlTypedText> InputTypes { get; set; } = [];

    [XmlArray("returnValues", Namespace = MamlNs.Command, Order = 5)]
    [XmlArrayItem("returnValue", Namespace = MamlNs.Command)]
    public List<MamlTypedText> ReturnValues { get; set; } = [];

    [XmlArray("alertSet", Namespace = MamlNs.Maml, Order = 6)]
    [XmlArrayItem("alert", Namespace = MamlNs.Maml)]
    public List<MamlAlert> AlertSet { get; set; } = [];

    [XmlArray("examples", Namespace = MamlNs.Command, Order = 7)]
    [XmlArrayItem("example", Namespace = MamlNs.Command)]
    public List<MamlExample> Examples { get; set; } = [];

    [XmlArray("relatedLinks", Namespace = MamlNs.Command, Order = 8)]
    [XmlArrayItem("navigationLink", Namespace = MamlNs.Maml)]
    public List<MamlNavigationLink> RelatedLinks { get; set; } = [];
}

public sealed class MamlDetails
{
    [XmlElement("name", Namespace = MamlNs.Command, Order = 0)]
    public string Name { get; set; } = string.Empty;

    [XmlArray("description", Namespace = MamlNs.Maml, Order = 1)]
    [XmlArrayItem("para", Namespace = MamlNs.Maml)]
    public List<string> Synopsis { get; set; } = [];

    [XmlElement("verb", Namespace = MamlNs.Command, Order = 2)]
    public string Verb { get; set; } = string.Empty;

    [XmlElement("noun", Namespace = MamlNs.Command, Order = 3)]
    public string Noun { get; set; } = string.Empty;
}

public sealed class MamlSyntaxItem
{
    [XmlElement("name", Namespace = MamlNs.Maml, Order = 0)]
    public string Name { get; set; } = string.Empty;

    [XmlElement("parameter", Namespace = MamlNs.Command, Order = 1)]
    public List<MamlParameter> Parameters { get; set; } = [];
}

public sealed class MamlParameter
{
    [XmlAttribute("required")]
    public string Required { get; set; } = "false";

    [XmlAttribute("variableLength")]
    public string VariableLength { get; set; } = "false";

    [XmlAttribute("globbing")]
    public string Globbing { get; set; } = "false";

    /// <summary>"False", "True (ByValue)", "True (ByPropertyName)" or "True (ByValue, ByPropertyName)".</summary>
    [XmlAttribute("pipelineInput")]
    public string PipelineInput { get; set; } = "False";

    /// <summary>"named" or the 0-based position.</summary>
    [XmlAttribute("position")]
    public string Position { get; set; } = "named";

    /// <summary>"none" or a comma-separated list.</summary>
    [XmlAttribute("aliases")]
    public string Aliases { get; set; } = "none";

    [XmlElement("name", Namespace = MamlNs.Maml, Order = 0)]
    public string Name { get; set; } = string.Empty;

    [XmlArray("description", Namespace = MamlNs.Maml, Order = 1)]
    [XmlArrayItem("para", Namespace = MamlNs.Maml)]
    public List<string> Description { get; set; } = [];

    [XmlArray("parameterValueGroup", Namespace = MamlNs.Command, Order = 2)]
    [XmlArrayItem("parameterValue", Namespace = MamlNs.Command)]
    public List<MamlParameterValue>? ValueGroup { get; set; }

    [XmlElement("parameterValue", Namespace = MamlNs.Command, Order = 3)]
    public MamlParameterValue? Value { get; set; }

    [XmlElement("type", Namespace = MamlNs.Dev, Order = 4)]
    public MamlType Type { get; set; } = new();

    [XmlElement("defaultValue", Namespace = MamlNs.Dev, Order = 5)]
    public string DefaultValue { get; set; } = "None";
}

public sealed class MamlParameterValue
{
    [XmlAttribute("required")]
    public string Required { get; set; } = "true";

    [XmlAttribute("variableLength")]
    public string VariableLength { get; set; } = "false";

    [XmlText]
    public string Value { get; set; } = string.Empty;
}

public sealed class MamlType
{
    [XmlElement("name", Namespace = MamlNs.Maml, Order = 0)]
    public string Name { get; set; } = string.Empty;

    [XmlElement("uri", Namespace = MamlNs.Maml, Order = 1)]
    public string Uri { get; set; } = string.Empty;
}

/// <summary>An input type or a return value: a type and what it is.</summary>
public sealed class MamlTypedText
{
    [XmlElement("type", Namespace = MamlNs.Dev, Order = 0)]
    public MamlType Type { get; set; } = new();

    [XmlArray("description", Namespace = MamlNs.Maml, Order = 1)]
    [XmlArrayItem("para", Namespace = MamlNs.Maml)]
    public List<string> Description { get; set; } = [];
}

public sealed class MamlAlert
{
    [XmlElement("para", Namespace = MamlNs.Maml)]
    public List<string> Paragraphs { get; set; } = [];
}

public sealed class MamlExample
{
    [XmlElement("title", Namespace = MamlNs.Maml, Order = 0)]
    public string Title { get; set; } = string.Empty;

    [XmlArray("introduction", Namespace = MamlNs.Maml, Order = 1)]
    [XmlArrayItem("para", Namespace = MamlNs.Maml)]
    public List<string>? Introduction { get; set; }

    [XmlElement("code", Namespace = MamlNs.Dev, Order = 2)]
    public string Code { get; set; } = string.Empty;

    [XmlArray("remarks", Namespace = MamlNs.Dev, Order = 3)]
    [XmlArrayItem("para", Namespace = MamlNs.Maml)]
    public List<string> Remarks { get; set; } = [];
}

public sealed class MamlNavigationLink
{
    [XmlElement("linkText", Namespace = MamlNs.Maml, Order = 0)]
    public string LinkText { get; set; } = string.Empty;

    [XmlElement("uri", Namespace = MamlNs.Maml, Order = 1)]
    public string Uri { get; set; } = string.Empty;
}
