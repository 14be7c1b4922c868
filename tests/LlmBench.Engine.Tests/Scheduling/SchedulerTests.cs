using LlmBench.Engine.Api;
using LlmBench.Engine.Scheduling;
using LlmBench.Engine.Tests.Support;

namespace LlmBench.Engine.Tests.Scheduling;

public class SchedulerTests
{
    /// <summary>A scheduler whose model length is the smaller of 128 and what the cache holds.</summary>
    private static Scheduler Create(int maxNumSeqs = 8, int budget = 64, int blocks = 64, int blockSize = 4) =>
        new(new EngineOptions { MaxNumSeqs = maxNumSeqs, MaxNumBatchedTokens = budget, BlockSize = blockSize }
            .ResolveFor(TinyModels.Qwen3(maxPositions: 128), blocks));

    private static Sequence Seq(string id, int promptLength, int maxTokens = 100, int maxModelLen = 128) =>
        new(id, Enumerable.Range(1, promptLength).ToArray(), SamplingParams.Greedy(maxTokens), 0, maxModelLen);

    /// <summary>What the engine does after a step: append a token to each sampled sequence.</summary>
    private static void Commit(Scheduler scheduler, StepPlan plan)
    {
        foreach (var entry in plan.Entries.Where(e => e.Sample))
        {
            scheduler.CommitToken(entry.Sequence, 7);
            if (entry.Sequence.IsAtCapacity)
                scheduler.Finish(entry.Sequence, SequenceStatus.FinishedLength);
        }
    }

    private static string Describe(StepPlan plan) => string.Join(" ", plan.Entries.Select(e => $"{e.RequestId}@{e.StartPosition}+{e.TokenCount}{(e.Sample ? "s" : "")}"));

    [Fact]
    public void Admission_StopsAtMaxNumSeqs_InArrivalOrder()
    {
        var scheduler = Create(maxNumSeqs: 2);
        foreach (var id in new[] { "a", "b", "c" })
            scheduler.Add(Seq(id, 10));

        var plan = scheduler.Schedule();

        Assert.Equal("a@0+10s b@0+10s", Describe(plan));
        Assert.Equal(2, scheduler.NumRunning);
        Assert.Equal(["c"], scheduler.Waiting.Select(s => s.RequestId));
    }

    [Fact]
    public void ALongPrompt_IsSplitIntoChunksUnderTheTokenBudget_AndSamplesOnlyAfterTheLast()
    {
        var scheduler = Create(budget: 32);
        var a = Seq("a", 100);
        scheduler.Add(a);
        var plans = new List<string>();
        while (a.NumOutputTokens == 0)
        {
            var plan = scheduler.Schedule();
            Assert.True(plan.NumTokens <= 32);
            plans.Add(Describe(plan));
            Commit(scheduler, plan);
        }

        Assert.Equal(["a@0+32", "a@32+32", "a@64+32", "a@96+4s"], plans);
        Assert.Equal(25, a.BlockTable.Count); // 100 tokens in blocks of 4
        Assert.Equal("a@100+1s", Describe(scheduler.Schedule()));
    }

    [Fact]
    public void EachStep_SchedulesDecodesFirst_ThenPrefillChunks_WithinTheBudget()
    {
        var scheduler = Create(budget: 16);
        scheduler.Add(Seq("a", 6));
        scheduler.Add(Seq("b", 30));
        var first = scheduler.Schedule();
        Commit(scheduler, first);
        var second = scheduler.Schedule();
        Commit(scheduler, second);
        var third = scheduler.Schedule();

        Assert.Equal("a@0+6s b@0+10", Describe(first));
        Assert.Equal("a@6+1s b@10+15", Describe(second));
        Assert.Equal("a@7+1s b@25+5s", Describe(third));
        Assert.Equal(1, third.NumDecodeTokens);
        Assert.Equal(5, third.NumPrefillTokens);
    }

    [Fact]
    public void NewSequences_JoinWhileRunningOnesDecode()
    {
        var scheduler = Create(budget: 64);
        scheduler.Add(Seq("a", 5));
        Commit(scheduler, scheduler.Schedule());
        scheduler.Add(Seq("b", 8));

        var plan = scheduler.Schedule();

        Assert.Equal("a@5+1s b@0+8s", Describe(plan));
        Assert.Equal(1, plan.Entries[0].OutputIndex);
        Assert.Equal(0, plan.Entries[1].OutputIndex);
    }

    [Fact]
    public void WhenBlocksRunOut_TheNewestIsPreempted_KeepsItsTokens_AndIsRecomputedLater()
    {
        // 4 blocks of 4 tokens; a and b start with 2 blocks each, so the first one to need a third preempts.
        var scheduler = Create(blocks: 4, blockSize: 4);
        var a = Seq("a", 6, maxModelLen: 16);
        var b = Seq("b", 6, maxModelLen: 16);
        scheduler.Add(a);
        scheduler.Add(b);
        Commit(scheduler, scheduler.Schedule()); // both prefilled: 7 tokens each
        Commit(scheduler, scheduler.Schedule()); // decode position 6: 8 tokens each
        Commit(scheduler, scheduler.Schedule()); // decode position 7: still 2 blocks each
        Assert.Equal(1.0, scheduler.Blocks.Usage);

        var plan = scheduler.Schedule(); // a needs a 3rd block for position 8

        Assert.Equal("a@8+1s", Describe(plan));
        Assert.Equal(1, scheduler.Counters.Preemptions);
        Assert.Equal(SequenceStatus.Waiting, b.Status);
        Assert.Equal(0, b.NumComputedTokens);
        Assert.Empty(b.BlockTable);
        Assert.Equal([7, 7, 7], b.OutputIds.ToArray());
        Assert.Equal(3, scheduler.Blocks.NumUsedBlocks);

        Commit(scheduler, plan);
        scheduler.Finish(a, SequenceStatus.FinishedStopped);
        var resumed = scheduler.Schedule();

        Assert.Equal("b@0+9s", Describe(resumed)); // prompt and its 3 outputs recomputed, then it samples its 4th
        Assert.Equal(3, resumed.Entries[0].OutputIndex);
    }

    [Fact]
    public void AStepThatPreempted_AdmitsNobody()
    {
        var scheduler = Create(blocks: 4, blockSize: 4);
        scheduler.Add(Seq("a", 8, maxModelLen: 16));
        scheduler.Add(Seq("b", 8, maxModelLen: 16));
        Commit(scheduler, scheduler.Schedule());
        scheduler.Add(Seq("c", 1, maxModelLen: 16));

        var plan = scheduler.Schedule(); // a needs a block: b is preempted, one block is left, but c must wait

        Assert.Equal("a@8+1s", Describe(plan));
        Assert.Equal(["b", "c"], scheduler.Waiting.Select(s => s.RequestId));
    }

    [Fact]
    public void TheHeadOfTheQueue_IsNotOvertaken_WhenItDoesNotFit()
    {
        var scheduler = Create(blocks: 4, blockSize: 4, budget: 64);
        scheduler.Add(Seq("a", 12));
        Commit(scheduler, scheduler.Schedule()); // a holds 3 blocks, 1 free
        scheduler.Add(Seq("b", 8)); // needs 2 blocks
        scheduler.Add(Seq("c", 2)); // would fit in 1

        var plan = scheduler.Schedule();

        Assert.Equal("a@12+1s", Describe(plan));
        Assert.Equal(["b", "c"], scheduler.Waiting.Select(s => s.RequestId));
    }

    [Fact]
    public void Abort_FreesBlocksAtOnce_ForRunningAndWaitingSequences()
    {
        var scheduler = Create(maxNumSeqs: 1);
        var a = Seq("a", 9);
        scheduler.Add(a);
        scheduler.Add(Seq("b", 9));
        Commit(scheduler, scheduler.Schedule());
        Assert.Equal(3, scheduler.Blocks.NumUsedBlocks);

        Assert.True(scheduler.Abort("a"));
        Assert.Equal(0, scheduler.Blocks.NumUsedBlocks);
        Assert.Equal(SequenceStatus.FinishedAborted, a.Status);
        Assert.True(scheduler.Abort("b"));
        Assert.False(scheduler.Abort("b"));
        Assert.False(scheduler.HasUnfinished);
        Assert.True(scheduler.Schedule().IsEmpty);
        Assert.Equal(2, scheduler.Counters.Aborted);
    }

    [Fact]
    public void Finish_FreesBlocksAndLetsTheNextSequenceIn()
    {
        var scheduler = Create(maxNumSeqs: 1, blocks: 3, blockSize: 4);
        var a = Seq("a", 10);
        scheduler.Add(a);
        scheduler.Add(Seq("b", 10));
        Commit(scheduler, scheduler.Schedule());

        scheduler.Finish(a, SequenceStatus.FinishedStopped);

        Assert.Equal(0, scheduler.Blocks.NumUsedBlocks);
        Assert.Equal("b@0+10s", Describe(scheduler.Schedule()));
    }

    [Fact]
    public void Usage_MatchesTheBlocksSequencesHold()
    {
        var scheduler = Create(blocks: 20, blockSize: 4, budget: 64);
        var random = new Random(5);
        for (int i = 0; i < 6; i++)
            scheduler.Add(Seq($"s{i}", random.Next(1, 20), maxTokens: random.Next(1, 10)));
        double peak = 0;
        while (scheduler.HasUnfinished)
        {
            var plan = scheduler.Schedule();
            peak = Math.Max(peak, scheduler.Blocks.Usage);
            Assert.Equal(peak, scheduler.Counters.PeakKvCacheUsage);
            Commit(scheduler, plan);
            int held = scheduler.Running.Sum(s => s.BlockTable.Count);
            Assert.Equal(held, scheduler.Blocks.NumUsedBlocks);
            Assert.Equal((double)held / 20, scheduler.Blocks.Usage);
            Assert.All(scheduler.Waiting, s => Assert.Empty(s.BlockTable));
        }
        Assert.Equal(0, scheduler.Blocks.NumUsedBlocks);
        Assert.True(peak > 0.3, $"the sequences should have filled a good part of the cache, peak {peak}");
    }

    [Fact]
    public void Counters_CountEachPromptOnceAndEveryGeneratedToken()
    {
        var scheduler = Create(budget: 8);
        scheduler.Add(Seq("a", 20, maxTokens: 3));
        scheduler.Add(Seq("b", 5, maxTokens: 2));
        while (scheduler.HasUnfinished)
            Commit(scheduler, scheduler.Schedule());

        Assert.Equal(25, scheduler.Counters.PromptTokens);
        Assert.Equal(5, scheduler.Counters.GenerationTokens);
    }

    [Fact]
    public void Add_RejectsDuplicateIdsAndPromptsThatFillTheModelLength()
    {
        var scheduler = Create(blocks: 4, blockSize: 4); // model length 16
        scheduler.Add(Seq("a", 3, maxModelLen: 16));
        Assert.Throws<ArgumentException>(() => scheduler.Add(Seq("a", 3, maxModelLen: 16)));
        Assert.Throws<ArgumentException>(() => scheduler.Add(Seq("x", 16, maxModelLen: 64)));
    }
}
