using System.Text;
using LlmBench.Server.Generation;
using LlmBench.Server.Protocol;
using Microsoft.AspNetCore.Http;

namespace LlmBench.Server.Http;

/// <summary>
/// POST /v1/completions and /v1/chat/completions, streaming (SSE, usage chunk, [DONE]) or whole.
/// The response starts only when the first token is there, so a request the engine refuses still
/// gets its status and error body; a client that leaves aborts its request in the engine.
/// </summary>
public sealed class GenerationEndpoints(ServerState state)
{
    public async Task CompletionsAsync(HttpContext context)
    {
        var body = await JsonBody.ReadAsync(context, ServerJsonContext.Default.CompletionRequest, state.Options.MaxRequestBodyBytes);
        await GenerateAsync(context, state.Translator.FromCompletion(body), chat: false);
    }

    public async Task ChatCompletionsAsync(HttpContext context)
    {
        var body = await JsonBody.ReadAsync(context, ServerJsonContext.Default.ChatCompletionRequest, state.Options.MaxRequestBodyBytes);
        await GenerateAsync(context, state.Translator.FromChat(body), chat: true);
    }

    private async Task GenerateAsync(HttpContext context, PreparedGeneration prepared, bool chat)
    {
        // Each engine takes --max-num-seqs running plus --max-waiting waiting; 503 only when every engine is full.
        if (!state.Engines.TryAcquire(state.MaxNumSeqs + state.Options.MaxWaiting, out var engine, out var inFlight))
        {
            if (!state.Engines.AnyRunning)
                throw ErrorResponses.NoEngine();
            state.Metrics.OnRejected();
            throw ErrorResponses.Overloaded(inFlight);
        }

        var id = (chat ? "chatcmpl-" : "cmpl-") + Guid.NewGuid().ToString("N");
        var cancellation = context.RequestAborted;
        using var session = new GenerationSession(engine!, state.Tokenizer, state.Metrics, id, prepared);
        using var abortOnDisconnect = cancellation.Register(session.Abort);
        var hasTokens = await session.WaitAsync(cancellation);
        if (prepared.Stream)
            await StreamAsync(context, session, prepared, chat, id, hasTokens);
        else
            await RespondWholeAsync(context, session, prepared, chat, id, hasTokens);
    }

    private async Task StreamAsync(HttpContext context, GenerationSession session, PreparedGeneration prepared, bool chat, string id, bool hasTokens)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        using var writer = new SseChunkWriter(response.BodyWriter, id, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), state.Options.ServedModelName, chat);
        var logprobs = prepared.Sampling.Logprobs is null ? null : new LogprobsCollector(new TokenTexts(state.Tokenizer), chat);
        var textSent = 0;
        if (chat)
            writer.WriteRoleChunk();
        try
        {
            while (hasTokens)
            {
                while (session.TryRead(out var delta))
                {
                    if (logprobs is not null && delta.Logprobs is { } tokenLogprobs)
                    {
                        writer.WriteToken(delta.Text, delta.FinishReason, chat
                            ? logprobs.ChunkForChat(delta.TokenId, tokenLogprobs)
                            : logprobs.ChunkForCompletion(delta.TokenId, tokenLogprobs, textSent));
                    }
                    else
                    {
                        writer.WriteToken(delta.Text, delta.FinishReason);
                    }

                    textSent += delta.Text.Length;
                }

                await writer.FlushAsync(context.RequestAborted);
                hasTokens = await session.WaitAsync(context.RequestAborted);
            }

            if (prepared.IncludeUsage)
                writer.WriteUsage(session.PromptTokens, session.CompletionTokens);
        }
        catch (OpenAiException ex)
        {
            // Headers are gone: the error travels as an event, as vLLM sends it.
            writer.WriteError(ex);
        }

        writer.WriteDone();
        await writer.FlushAsync(context.RequestAborted);
    }

    private async Task RespondWholeAsync(HttpContext context, GenerationSession session, PreparedGeneration prepared, bool chat, string id, bool hasTokens)
    {
        var text = new StringBuilder();
        var logprobs = prepared.Sampling.Logprobs is null ? null : new LogprobsCollector(new TokenTexts(state.Tokenizer), chat);
        while (hasTokens)
        {
            while (session.TryRead(out var delta))
            {
                if (delta.Logprobs is { } tokenLogprobs)
                    logprobs?.Add(delta.TokenId, tokenLogprobs, text.Length);
                text.Append(delta.Text);
            }

            hasTokens = await session.WaitAsync(context.RequestAborted);
        }

        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var usage = new Usage(session.PromptTokens, session.CompletionTokens, session.PromptTokens + session.CompletionTokens);
        var model = state.Options.ServedModelName;
        var finish = session.FinishReason ?? "stop";
        var promptIds = prepared.ReturnTokenIds ? prepared.PromptIds : null;
        var tokenIds = session.TokenIds?.ToArray();
        if (chat)
        {
            var choice = new ChatChoice(0, new ChatMessageOut("assistant", text.ToString()), logprobs?.ChatResult, finish, promptIds, tokenIds);
            var body = new ChatCompletionResponse(id, "chat.completion", created, model, [choice], usage);
            await context.Response.WriteAsJsonAsync(body, ServerJsonContext.Default.ChatCompletionResponse, "application/json", context.RequestAborted);
        }
        else
        {
            var body = new CompletionResponse(id, "text_completion", created, model, [new CompletionChoice(0, text.ToString(), logprobs?.CompletionResult, finish, promptIds, tokenIds)], usage);
            await context.Response.WriteAsJsonAsync(body, ServerJsonContext.Default.CompletionResponse, "application/json", context.RequestAborted);
        }
    }
}
