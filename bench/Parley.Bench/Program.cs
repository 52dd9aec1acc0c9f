using Parley.Bench;

return await BenchCommand.RunAsync(args);
