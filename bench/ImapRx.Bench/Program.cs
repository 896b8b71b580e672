using ImapRx.Bench;

// bench/run.sh starts the orchestrator; it starts one child process per measurement ("run ...").
return args.FirstOrDefault() switch
{
    "run" => await Child.RunAsync(args.Skip(1).ToArray()),
    "micro" => Micro.Run(args.Skip(1).ToArray()),
    "parse" => await ParseOnly.RunAsync(args.Skip(1).ToArray()),
    _ => await Orchestrator.RunAsync(args),
};
