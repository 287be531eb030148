BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:server = Enter-FakeGemini
}

AfterAll {
    Exit-FakeGemini $server
}

Describe 'Get-GeminiEmbedding' {
    It 'One_string_is_one_embedContent_call_and_the_result_carries_input_and_vector' {
        $embedding = 'What is the meaning of life?' | Get-GeminiEmbedding
        $embedding.Input | Should -Be 'What is the meaning of life?'
        $embedding.Dimensions | Should -Be 3072
        $embedding.Values.GetType() | Should -Be ([float[]])
    }

    It 'Many_inputs_go_in_batches_of_100_in_order_and_full_batches_leave_before_the_input_ends' {
        $embeddings = 1..205 | ForEach-Object { "sentence $_" } | Get-GeminiEmbedding -OutputDimensionality 8
        $embeddings.Count | Should -Be 205
        $embeddings[204].Input | Should -Be 'sentence 205'
        $embeddings.Index | Should -Be (0..204)
    }
}

Describe 'GeminiCache' {
    It 'A_cache_object_passed_to_CachedContent_is_used_by_name_and_usage_shows_the_cached_tokens' {
        $cache = New-GeminiCache 'one two three four five six seven eight nine ten' -DisplayName 'ten words'
        $response = Invoke-GeminiContent 'What is the fifth word?' -CachedContent $cache
        $response.UsageMetadata.CachedContentTokenCount | Should -Be 10
        (Get-GeminiCache 'ten words').Name | Should -Be $cache.Name
        $cache | Remove-GeminiCache
        Get-GeminiCache $cache.Name -ErrorAction SilentlyContinue -ErrorVariable missing
        $missing[0].FullyQualifiedErrorId | Should -BeLike 'GeminiCacheNotFound*'
    }
}
