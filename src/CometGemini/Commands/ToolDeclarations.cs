using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;

namespace CometGemini.Commands;

/// <summary>
/// Function declarations from PowerShell commands: the parameter metadata becomes an OpenAPI-subset schema
/// (the Schema the API takes in "parameters"), descriptions come from the command's help or HelpMessage.
/// </summary>
internal static class ToolDeclarations
{
    private static readonly HashSet<string> CommonParameters = new(
        Cmdlet.CommonParameters.Concat(Cmdlet.OptionalCommonParameters).Concat(new[] { "ProgressAction" }),
        StringComparer.OrdinalIgnoreCase);

    /// <summary>The help text PowerShell has for a command: synopsis, and a description per parameter.</summary>
    internal sealed record CommandHelp(string? Synopsis, IReadOnlyDictionary<string, string> Parameters);

    public static GeminiTool FromCommand(CommandInfo command, CommandHelp help)
    {
        if (command is AliasInfo alias && alias.ResolvedCommand is not null)
            command = alias.ResolvedCommand;

        // Every parameter set: the model names what it needs and PowerShell's binder picks the set. Required are only
        // the parameters every set requires; parameters a model cannot fill (script blocks, credentials) are left out.
        List<CommandParameterInfo> parameters = command.ParameterSets
            .SelectMany(set => set.Parameters)
            .Where(p => !CommonParameters.Contains(p.Name) && !CannotBeFilled(p.ParameterType))
            .GroupBy(p => p.Name, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.First())
            .ToList();
        var required = parameters
            .Where(p => command.ParameterSets.Count > 0 && command.ParameterSets.All(set => set.Parameters.Any(q => q.Name == p.Name && q.IsMandatory)))
            .Select(p => p.Name)
            .ToList();

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("name", command.Name);
            if (help.Synopsis is { Length: > 0 } synopsis)
                writer.WriteString("description", synopsis);
            if (parameters.Count > 0) // the API refuses an OBJECT schema without properties
            {
                writer.WriteStartObject("parameters");
                writer.WriteString("type", "OBJECT");
                writer.WriteStartObject("properties");
                foreach (CommandParameterInfo parameter in parameters)
                {
                    writer.WritePropertyName(parameter.Name);
                    string? description = !string.IsNullOrWhiteSpace(parameter.HelpMessage) ? parameter.HelpMessage
                        : help.Parameters.TryGetValue(parameter.Name, out string? text) ? text
                        : null;
                    WriteSchema(writer, parameter.ParameterType, parameter.Attributes.OfType<ValidateSetAttribute>().FirstOrDefault()?.ValidValues, description, depth: 0);
                }

                writer.WriteEndObject();
                if (required.Count > 0)
                {
                    writer.WriteStartArray("required");
                    foreach (string name in required)
                        writer.WriteStringValue(name);
                    writer.WriteEndArray();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        using JsonDocument declaration = JsonDocument.Parse(buffer.ToArray());
        return new GeminiTool(command.Name, help.Synopsis, declaration.RootElement.Clone(), command);
    }

    /// <summary>A declaration written by hand: a name, a description and a schema (OpenAPI subset, or full JSON Schema).</summary>
    public static GeminiTool FromSchema(string name, string? description, JsonElement? parameters, JsonElement? parametersJsonSchema, ScriptBlock? scriptBlock, bool readOnly)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("name", name);
            if (!string.IsNullOrEmpty(description))
                writer.WriteString("description", description);
            if (parameters is JsonElement schema)
            {
                writer.WritePropertyName("parameters");
                schema.WriteTo(writer);
            }

            if (parametersJsonSchema is JsonElement jsonSchema)
            {
                writer.WritePropertyName("parametersJsonSchema");
                jsonSchema.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        using JsonDocument declaration = JsonDocument.Parse(buffer.ToArray());
        return new GeminiTool(name, description, declaration.RootElement.Clone(), scriptBlock: scriptBlock, readOnly: readOnly);
    }

    /// <summary>Types a model's JSON cannot become: code, secrets, and dictionaries of unknown shape.</summary>
    internal static bool CannotBeFilled(Type type)
    {
        Type element = Nullable.GetUnderlyingType(type) ?? type;
        return typeof(ScriptBlock).IsAssignableFrom(element) || element == typeof(PSCredential) || element == typeof(System.Security.SecureString)
            || typeof(IDictionary).IsAssignableFrom(element);
    }

    private static void WriteSchema(Utf8JsonWriter writer, Type type, IList<string>? allowed, string? description, int depth)
    {
        writer.WriteStartObject();
        Type element = Nullable.GetUnderlyingType(type) ?? type;
        if (element.IsArray || (element != typeof(string) && element.IsGenericType && typeof(IEnumerable).IsAssignableFrom(element)))
        {
            Type item = element.IsArray ? element.GetElementType()! : element.GetGenericArguments()[0];
            writer.WriteString("type", "ARRAY");
            writer.WritePropertyName("items");
            WriteSchema(writer, item, allowed, description: null, depth + 1);
        }
        else if (allowed is { Count: > 0 } || element.IsEnum)
        {
            writer.WriteString("type", "STRING");
            writer.WriteString("format", "enum");
            writer.WriteStartArray("enum");
            foreach (string value in allowed is { Count: > 0 } ? allowed : Enum.GetNames(element))
                writer.WriteStringValue(value);
            writer.WriteEndArray();
        }
        else
        {
            writer.WriteString("type", TypeName(element));
            if (element == typeof(DateTime) || element == typeof(DateTimeOffset))
                writer.WriteString("format", "date-time");
        }

        if (description is not null)
            writer.WriteString("description", description);
        writer.WriteEndObject();
    }

    private static string TypeName(Type type) => Type.GetTypeCode(type) switch
    {
        TypeCode.Boolean => "BOOLEAN",
        TypeCode.Byte or TypeCode.SByte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32 or TypeCode.Int64 or TypeCode.UInt64 => "INTEGER",
        TypeCode.Single or TypeCode.Double or TypeCode.Decimal => "NUMBER",
        _ when type == typeof(SwitchParameter) => "BOOLEAN",
        _ => "STRING", // anything else arrives as text, which PowerShell's binder converts (paths, dates, objects by name)
    };
}
