using LlmBench.Cli;

return await CliApp.RunAsync(args);
