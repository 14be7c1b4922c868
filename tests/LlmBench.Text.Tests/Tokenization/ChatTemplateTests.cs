using LlmBench.Text.Tokenization;
using static LlmBench.Text.Tests.Tokenization.Qwen3Reference;

namespace LlmBench.Text.Tests.Tokenization;

public class ChatTemplateTests
{
    [Theory]
    [MemberData(nameof(ChatIndexes), MemberType = typeof(Qwen3Reference))]
    public void Qwen3Template_RendersAsTransformers_AndEncodesToTheSameIds(int index)
    {
        ReferenceChatCase c = Instance.Chat.Cases[index];
        var messages = c.Messages.Select(m => new ChatMessage(m.Role, m.Content)).ToList();
        string text = Tokenizer.ApplyChatTemplate(messages, c.AddGenerationPrompt, c.EnableThinking ?? true);
        Assert.Equal(c.Text, text);
        Assert.Equal(c.Ids, Tokenizer.Encode(text));
        Assert.True(c.TransformersIdsEqual, "transformers' own tokenize=True gave other ids than tokenizers");
    }

    [Fact]
    public void InterfaceOverload_RendersWithThinkingEnabled()
    {
        ITextTokenizer tokenizer = Tokenizer;
        Assert.Equal("<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\n",
            tokenizer.ApplyChatTemplate([new ChatMessage("user", "Hello")]));
    }

    [Fact]
    public void InterfaceOverload_WithThinkingDisabled_AddsTheEmptyThinkBlock()
    {
        ITextTokenizer tokenizer = Tokenizer; // the server calls through the interface (chat_template_kwargs.enable_thinking)
        Assert.Equal("<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n",
            tokenizer.ApplyChatTemplate([new ChatMessage("user", "Hello")], addGenerationPrompt: true, enableThinking: false));
    }

    [Fact]
    public void Qwen25StyleTemplate_AddsItsDefaultSystemPrompt_AndNoThinkBlocks()
    {
        const string jinja = "{%- if messages[0]['role'] == 'system' %}{{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}"
            + "{%- else %}{{- '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n' }}{%- endif %}";
        var template = ChatMlTemplate.Recognise(jinja, vocabularyHasChatMl: true)!;
        Assert.False(template.Reasoning);
        Assert.Equal("You are Qwen, created by Alibaba Cloud. You are a helpful assistant.", template.DefaultSystemPrompt);
        Assert.Equal(
            "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n"
            + "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>x</think>ok<|im_end|>\n<|im_start|>assistant\n",
            template.Render([new("user", "Hi"), new("assistant", "<think>x</think>ok")], addGenerationPrompt: true, enableThinking: false));
    }

    [Fact]
    public void NonChatMlTemplate_IsNotRecognised()
    {
        const string llama3 = "{{- bos_token }}{%- for m in messages %}<|start_header_id|>{{ m['role'] }}<|end_header_id|>\n\n{{ m['content'] }}<|eot_id|>{%- endfor %}";
        Assert.Null(ChatMlTemplate.Recognise(llama3, vocabularyHasChatMl: false));
        Assert.Null(ChatMlTemplate.Recognise(null, vocabularyHasChatMl: false));
        Assert.NotNull(ChatMlTemplate.Recognise(null, vocabularyHasChatMl: true));
    }

    [Fact]
    public void UnknownRole_AndEmptyChat_AreUserErrors()
    {
        var ex = Assert.Throws<UserErrorException>(() => Tokenizer.ApplyChatTemplate([new ChatMessage("developer", "x")]));
        Assert.Contains("developer", ex.Message, StringComparison.Ordinal);
        Assert.Throws<UserErrorException>(() => Tokenizer.ApplyChatTemplate([]));
    }
}
