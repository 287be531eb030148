using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CometGemini;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    PropertyNameCaseInsensitive = true)] // what users write (-Contents hashtables, saved chats edited by hand) may be PascalCase
[JsonSerializable(typeof(GenerateContentRequest))]
[JsonSerializable(typeof(GenerateContentResponse))]
[JsonSerializable(typeof(Content))]
[JsonSerializable(typeof(GeminiChat))]
[JsonSerializable(typeof(GeminiModel))]
[JsonSerializable(typeof(ListModelsResponse))]
[JsonSerializable(typeof(CountTokensRequest))]
[JsonSerializable(typeof(GeminiTokenCount))]
[JsonSerializable(typeof(ErrorEnvelope))]
[JsonSerializable(typeof(EmbedContentRequest))]
[JsonSerializable(typeof(EmbedContentResponse))]
[JsonSerializable(typeof(BatchEmbedContentsRequest))]
[JsonSerializable(typeof(BatchEmbedContentsResponse))]
[JsonSerializable(typeof(GeminiCache))]
[JsonSerializable(typeof(ListCachedContentsResponse))]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(BatchOperation))]
[JsonSerializable(typeof(BatchOperationList))]
[JsonSerializable(typeof(BatchResult))]
[JsonSerializable(typeof(GeminiFileEnvelope))]
[JsonSerializable(typeof(GeminiFile))]
[JsonSerializable(typeof(ListFilesResponse))]
[JsonSerializable(typeof(BatchJobRecord))]
[JsonSerializable(typeof(CometGemini.Generation.AnswerCacheEntry))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
internal sealed partial class GeminiJsonContext : JsonSerializerContext
{
}
