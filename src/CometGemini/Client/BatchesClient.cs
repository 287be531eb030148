using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace CometGemini.Client;

/// <summary>Batch Mode jobs (batches): create, get, list, cancel, delete (shapes: Model/GeminiBatch.cs).</summary>
public sealed class BatchesClient
{
    private const string Prefix = "batches/";

    // A job's id, with or without its prefix: anything else never goes into a URL.
    private static readonly Regex NamePattern = new(@"^(?:batches/)?[A-Za-z0-9][A-Za-z0-9_\-]*$", RegexOptions.CultureInvariant);

    private readonly GeminiClient _transport;

    internal BatchesClient(GeminiClient transport) => _transport = transport;

    /// <summary>True for "abc" and "batches/abc": a name that can go into a URL.</summary>
    internal static bool IsValidName(string name) => NamePattern.IsMatch(name);

    /// <summary>"abc" or "batches/abc" as the API names it: "batches/abc".</summary>
    internal static string ResourceName(string name) => name.StartsWith(Prefix, StringComparison.Ordinal) ? name : Prefix + name;

    /// <summary>Submits a batchGenerateContent body (built by BatchRequests: inline requests or a file name).</summary>
    internal Task<BatchOperation> CreateAsync(string model, byte[] body, IClientLog log, CancellationToken cancellationToken) =>
        _transport.SendJsonAsync(HttpMethod.Post, _transport.MethodUri(model, "batchGenerateContent"), body, GeminiJsonContext.Default.BatchOperation, log, cancellationToken);

    internal Task<BatchOperation> GetAsync(string name, IClientLog log, CancellationToken cancellationToken) =>
        _transport.SendJsonAsync(HttpMethod.Get, _transport.ApiUri(ResourceName(name)), body: null, GeminiJsonContext.Default.BatchOperation, log, cancellationToken);

    /// <summary>Every job the key can see, page by page (following nextPageToken), each as it arrives, newest first as the server lists them.</summary>
    internal async IAsyncEnumerable<BatchOperation> ListAsync(int pageSize, IClientLog log, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pages = new PageTokens("batch jobs");
        string? pageToken = null;
        do
        {
            BatchOperationList page = await ListPageAsync(pageSize, pageToken, log, cancellationToken).ConfigureAwait(false);
            foreach (BatchOperation? operation in page.Operations ?? new List<BatchOperation>())
            {
                if (operation is not null)
                    yield return operation;
            }

            pageToken = pages.Next(page.NextPageToken);
        }
        while (pageToken is not null);
    }

    /// <summary>One page of the jobs (what <see cref="ListAsync"/> follows).</summary>
    internal Task<BatchOperationList> ListPageAsync(int pageSize, string? pageToken, IClientLog log, CancellationToken cancellationToken) =>
        _transport.SendJsonAsync(
            HttpMethod.Get,
            _transport.ApiUri("batches", $"pageSize={pageSize}{(string.IsNullOrEmpty(pageToken) ? string.Empty : "&pageToken=" + Uri.EscapeDataString(pageToken))}"),
            body: null,
            GeminiJsonContext.Default.BatchOperationList,
            log,
            cancellationToken);

    internal Task<JsonElement> CancelAsync(string name, IClientLog log, CancellationToken cancellationToken) =>
        _transport.SendJsonAsync(HttpMethod.Post, _transport.ApiUri(ResourceName(name) + ":cancel"), body: null, GeminiJsonContext.Default.JsonElement, log, cancellationToken);

    internal Task<JsonElement> DeleteAsync(string name, IClientLog log, CancellationToken cancellationToken) =>
        _transport.SendJsonAsync(HttpMethod.Delete, _transport.ApiUri(ResourceName(name)), body: null, GeminiJsonContext.Default.JsonElement, log, cancellationToken);
}
