using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using CometGemini.Tests.Harness;

namespace CometGemini.Tests;

/// <summary>
/// All of the module's JSON goes through source-generated metadata (GeminiJsonContext): no reflection-based
/// metadata is built at run time (issue 7). Checked on the built dll, whatever code path a test reaches.
/// </summary>
public sealed class SourceGenerationTests
{
    private static readonly string[] MetadataParameters = { "JsonTypeInfo", "JsonTypeInfo`1", "JsonSerializerContext" };

    [Fact]
    public void Every_JsonSerializer_call_in_the_module_passes_source_generated_metadata()
    {
        using var pe = new PEReader(File.OpenRead(Path.Combine(Paths.ModuleDir, "CometGemini.dll")));
        MetadataReader reader = pe.GetMetadataReader();
        var calls = new List<string>();
        var reflective = new List<string>();
        foreach (MemberReferenceHandle handle in reader.MemberReferences)
        {
            MemberReference member = reader.GetMemberReference(handle);
            if (member.GetKind() != MemberReferenceKind.Method || member.Parent.Kind != HandleKind.TypeReference)
                continue;
            TypeReference parent = reader.GetTypeReference((TypeReferenceHandle)member.Parent);
            if (reader.GetString(parent.Namespace) != "System.Text.Json" || reader.GetString(parent.Name) != "JsonSerializer")
                continue;
            MethodSignature<string> signature = member.DecodeMethodSignature(new TypeNames(reader), null);
            string call = $"JsonSerializer.{reader.GetString(member.Name)}({string.Join(", ", signature.ParameterTypes)})";
            calls.Add(call);
            if (!signature.ParameterTypes.Any(p => MetadataParameters.Contains(p)))
                reflective.Add(call);
        }

        Assert.NotEmpty(calls);
        Assert.True(reflective.Count == 0, "reflection-based JsonSerializer calls: " + string.Join("; ", reflective));
    }

    [Fact]
    public void The_context_has_metadata_for_every_type_the_wire_types_reach()
    {
        var seen = new HashSet<Type>();
        var missing = new List<string>();
        void Visit(Type type)
        {
            if (!seen.Add(type))
                return;
            if (GeminiJsonContext.Default.GetTypeInfo(type) is null)
                missing.Add(type.FullName!);
            if (Nullable.GetUnderlyingType(type) is Type underlying)
                Visit(underlying);
            foreach (Type argument in type.IsGenericType ? type.GetGenericArguments() : Type.EmptyTypes)
                Visit(argument);
            if (type.Namespace != "CometGemini")
                return;
            foreach (var property in type.GetProperties().Where(p => p.GetMethod?.IsPublic == true && !p.IsDefined(typeof(System.Text.Json.Serialization.JsonIgnoreAttribute), true)))
                Visit(property.PropertyType);
        }

        Visit(typeof(GenerateContentRequest));
        Visit(typeof(GenerateContentResponse));
        Visit(typeof(GeminiChat));

        Assert.True(missing.Count == 0, "no source-generated metadata for: " + string.Join(", ", missing));
        Assert.NotNull(JsonSerializer.Deserialize(Paths.FixtureText("firebase-test-data/googleai/unary-success-citations.json"), GeminiJsonContext.Default.GenerateContentResponse));
    }

    /// <summary>Type names only: enough to tell which JsonSerializer overload a call site uses.</summary>
    private sealed class TypeNames : ISignatureTypeProvider<string, object?>
    {
        private readonly MetadataReader _reader;

        public TypeNames(MetadataReader reader) => _reader = reader;

        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => reader.GetString(reader.GetTypeReference(handle).Name);

        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => reader.GetString(reader.GetTypeDefinition(handle).Name);

        public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => genericType;

        public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[]";

        public string GetSZArrayType(string elementType) => elementType + "[]";

        public string GetByReferenceType(string elementType) => elementType + "&";

        public string GetPointerType(string elementType) => elementType + "*";

        public string GetPinnedType(string elementType) => elementType;

        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;

        public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";

        public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;

        public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;

        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();
    }
}
