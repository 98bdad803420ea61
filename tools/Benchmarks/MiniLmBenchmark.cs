using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using ScienceOfDL.LanguageModels;
using static TorchSharp.torch;

namespace ScienceOfDL.Benchmarks;

/// <summary>
/// Sentences per second of our TorchSharp MiniLM and of ONNX Runtime on the same padded batch of token ids
/// (tokenization excluded), on the CPU with the same number of intra-op threads (TorchSharp's default, or
/// SODL_BENCH_THREADS), in one process.
/// </summary>
public static class MiniLmBenchmark
{
    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "setenv")]
    static extern int SetNativeEnvironment(string name, string value, int overwrite);

    /// <summary>
    /// libtorch's OpenMP threads spin while they wait; when other processes share the cores (as on our 2-core machines)
    /// that spinning made our forward pass 2-3x slower. Call before the first TorchSharp use (libgomp reads this when
    /// it loads); an OMP_WAIT_POLICY already set wins. ONNX Runtime is told the same (no spinning) below, to keep it
    /// even.
    /// </summary>
    public static void PreferPassiveThreadWaiting()
    {
        if (!OperatingSystem.IsWindows())
            SetNativeEnvironment("OMP_WAIT_POLICY", "PASSIVE", 0);
    }

    public static string Run(int batchSize = 32)
    {
        var threads = Environment.GetEnvironmentVariable("SODL_BENCH_THREADS") is { } n
            ? int.Parse(n)
            : get_num_threads();
        set_num_threads(threads);
        var sentences = Sentences(batchSize, seed: 29);
        using var model = (LanguageModel)MiniLm.Load(CPU);
        using var encoder = MiniLm.LoadEncoder(CPU);
        using var scope = NewDisposeScope();
        var (ids, mask) = model.Pad(sentences.Select(model.Encode).ToArray());

        using var onnx = MiniLm.OpenOnnx();
        using var memory = new MemoryStream();
        onnx.CopyTo(memory);
        using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        using var session = new InferenceSession(memory.ToArray(), options);
        var shape = new[] { (int)ids.shape[0], (int)ids.shape[1] };
        var inputs = new List<NamedOnnxValue>
        {
            NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor<long>(ids.data<long>().ToArray(), shape)),
            NamedOnnxValue.CreateFromTensor(
                "attention_mask",
                new DenseTensor<long>(mask.data<long>().ToArray(), shape)
            ),
            NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>(new long[ids.numel()], shape)),
        };
        // Alternate the two engines round by round, so a change in the other processes' load hits both alike. 23
        // timed rounds: with 7, the ratio of three runs in a row on one idle machine spread from 0.94 to 1.10.
        var (oursTimes, ortTimes) = (new List<double>(), new List<double>());
        using (no_grad())
            for (var round = 0; round < 25; round++)
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                using (NewDisposeScope())
                    _ = encoder.Forward(ids, mask)[^1].sum().item<float>();
                if (round >= 2)
                    oursTimes.Add(clock.Elapsed.TotalMilliseconds); // 2 warm-up rounds
                clock.Restart();
                using (session.Run(inputs, ["last_hidden_state"])) { }
                if (round >= 2)
                    ortTimes.Add(clock.Elapsed.TotalMilliseconds);
            }
        double oursMs = Median(oursTimes),
            ortMs = Median(ortTimes);
        double ours = batchSize / (oursMs / 1000),
            ort = batchSize / (ortMs / 1000);
        Console.WriteLine(
            $"MiniLM, batch {batchSize} padded to {shape[1]} tokens, {threads} threads, no spinning: ours "
                + $"{oursMs:F0} ms, ONNX Runtime {ortMs:F0} ms; CPU: {Timing.Cpu()}"
        );
        return $"ours_per_s={ours:F1} onnxruntime_per_s={ort:F1} ratio={ours / ort:F2}";
    }

    static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);

    /// <summary>CCS-like prompts of mixed lengths (about 10 to 60 tokens), from a fixed seed.</summary>
    static string[] Sentences(int count, int seed)
    {
        string[] words =
        [
            "the",
            "movie",
            "was",
            "great",
            "boring",
            "and",
            "i",
            "would",
            "watch",
            "it",
            "again",
            "never",
            "plot",
            "actors",
            "music",
            "story",
            "ending",
            "felt",
            "rushed",
            "beautiful",
            "review",
            "of",
            "a",
            "film",
        ];
        var rng = new Random(seed);
        return Enumerable
            .Range(0, count)
            .Select(_ =>
            {
                var body = string.Join(
                    " ",
                    Enumerable.Range(0, rng.Next(8, 50)).Select(_ => words[rng.Next(words.Length)])
                );
                return $"{body}. Is this review positive? {(rng.Next(2) == 0 ? "Yes" : "No")}";
            })
            .ToArray();
    }
}
