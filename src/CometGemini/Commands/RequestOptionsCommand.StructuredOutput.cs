using System;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CometGemini.Commands;

// Structured output: a schema from a hashtable, JSON text or a class type; full JSON Schema; an enum to classify with.
public abstract partial class RequestOptionsCommand
{
    // "[MyReport]" or "[MyReport[]]": what a type literal becomes when written as a command argument without parentheses.
    private static readonly Regex TypeLiteral = new(@"^\s*\[(?<name>[\w.+`]+(\[\])*)\]\s*$", RegexOptions.CultureInvariant);

    [Parameter]
    [ValidateNotNull]
    public object? ResponseJsonSchema { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? ResponseEnum { get; set; }

    /// <summary>
    /// -ResponseJsonSchema and -ResponseEnum, and which schema field wins: the schema given on this call replaces
    /// the other kinds a chat's settings may hold, since the API takes only one.
    /// </summary>
    private void ApplyStructuredOutput(GenerationConfig config)
    {
        if (new object?[] { ResponseSchema, ResponseJsonSchema, ResponseEnum }.Count(o => o is not null) > 1)
            throw new ArgumentException("Pass only one of -ResponseSchema, -ResponseJsonSchema and -ResponseEnum: each sets the shape of the whole answer.");

        if (ResponseSchema is not null)
            config.ResponseJsonSchema = null;

        if (ResponseJsonSchema is not null)
        {
            config.ResponseJsonSchema = SchemaJson(ResponseJsonSchema, nameof(ResponseJsonSchema), jsonSchema: true);
            config.ResponseSchema = null;
            config.ResponseMimeType = ResponseMimeType ?? StructuredOutput.JsonMimeType;
        }

        if (ResponseEnum is not null)
        {
            config.ResponseSchema = PSJson.FromObject(new System.Collections.Specialized.OrderedDictionary
            {
                ["type"] = "STRING",
                ["enum"] = ResponseEnum,
            });
            config.ResponseJsonSchema = null;
            config.ResponseMimeType = ResponseMimeType ?? StructuredOutput.EnumMimeType;
        }
    }

    /// <summary>A schema from a class type (or its name as "[Name]"), a hashtable, an object or JSON text.</summary>
    private protected static JsonElement SchemaJson(object value, string parameterName, bool jsonSchema)
    {
        object unwrapped = PSObjects.UnwrapUnlessCustom(value)!;
        if (unwrapped is Type type)
            return TypeSchema.For(type, jsonSchema, parameterName);
        if (unwrapped is string text && TypeLiteral.Match(text) is { Success: true } literal && !IsJson(text))
        {
            string name = literal.Groups["name"].Value;
            if (!LanguagePrimitives.TryConvertTo(name, out Type? named) || named is null)
                throw new ArgumentException($"-{parameterName} names the type [{name}], which is not defined here. Define the class first, or pass a hashtable or JSON text.", parameterName);
            return TypeSchema.For(named, jsonSchema, parameterName);
        }

        JsonElement schema = PSJson.FromObjectOrJsonText(value, parameterName);
        if (schema.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException(
                $"-{parameterName} is a JSON {schema.ValueKind.ToString().ToLowerInvariant()}, not a schema. Pass a schema object, for example @{{ type = 'object'; properties = @{{ name = @{{ type = 'string' }} }} }}, its JSON text, or a class.",
                parameterName);
        }

        return schema;
    }

    private static bool IsJson(string text)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
