using TorchSharp;
using static TorchSharp.torch;

namespace ScienceOfDL.LanguageModels;

/// <summary>
/// A forward pass on the CPU split by texts instead of inside each operation: with N intra-op threads
/// (<c>torch.get_num_threads()</c>), the batch is cut into up to N shards of about equal token counts, and each shard
/// runs the whole forward pass on its own thread with its share of the intra-op threads (one, when there are enough
/// texts). Splitting every matmul, softmax and LayerNorm across threads makes them meet at each of the ~100 operations
/// of a MiniLM pass, and the small operations barely got faster with more threads (measured here: attention took as
/// long on 2 threads as on 1); one split per pass has one meeting.
/// </summary>
public static class CpuDataParallel
{
    /// <param name="forwardRows">(ids, mask) of some texts → per layer [their real tokens, hidden], text after
    /// text</param>
    public static Tensor[] Run(Tensor inputIds, Tensor attentionMask, Func<Tensor, Tensor, Tensor[]> forwardRows)
    {
        var threads = get_num_threads();
        var batch = (int)inputIds.shape[0];
        if (inputIds.device_type != DeviceType.CPU || threads < 2 || batch < 2)
            return forwardRows(inputIds, attentionMask);
        var shards = Shards(attentionMask.sum(1).cpu().data<long>().ToArray(), Math.Min(threads, batch));
        var threadsPerShard = threads / shards.Length;
        var results = new Tensor[shards.Length][];
        var errors = new Exception?[shards.Length];
        var gradEnabled = is_grad_enabled();
        void RunShard(int s)
        {
            var (start, count) = shards[s];
            // Thread-local: this thread's own intra-op threads, grad mode and dispose scope.
            set_num_threads(threadsPerShard);
            try
            {
                using var grad = enable_grad(gradEnabled);
                using var scope = NewDisposeScope();
                results[s] = forwardRows(inputIds.narrow(0, start, count), attentionMask.narrow(0, start, count));
                foreach (var t in results[s])
                    t.DetachFromDisposeScope();
            }
            catch (Exception e)
            {
                errors[s] = e;
            }
            finally
            {
                set_num_threads(threads);
            } // also resets the count that threads started later begin with
        }
        var workers = Enumerable.Range(1, shards.Length - 1).Select(s => new Thread(() => RunShard(s))).ToArray();
        foreach (var w in workers)
            w.Start();
        RunShard(0);
        foreach (var w in workers)
            w.Join();
        if (errors.FirstOrDefault(e => e is not null) is { } error)
        {
            foreach (var t in results.Where(r => r is not null).SelectMany(r => r))
                t.Dispose();
            throw new AggregateException("a forward-pass shard failed", error);
        }
        var layers = Enumerable
            .Range(0, results[0].Length)
            .Select(l => cat(results.Select(r => r[l]).ToArray()))
            .ToArray();
        foreach (var t in results.SelectMany(r => r))
            t.Dispose();
        return layers;
    }

    /// <summary>Contiguous (start, count) ranges of texts, cut so each holds about the same number of tokens.</summary>
    public static (int Start, int Count)[] Shards(long[] lengths, int shards)
    {
        var total = (double)lengths.Sum();
        var result = new List<(int, int)>();
        var start = 0;
        long sum = 0;
        for (var i = 0; i < lengths.Length; i++)
        {
            sum += lengths[i];
            var textsLeft = lengths.Length - i - 1;
            var shardsLeft = shards - result.Count - 1;
            var reached = sum >= total * (result.Count + 1) / shards;
            if (shardsLeft > 0 && textsLeft >= shardsLeft && (reached || textsLeft == shardsLeft))
            {
                result.Add((start, i + 1 - start));
                start = i + 1;
            }
        }
        result.Add((start, lengths.Length - start));
        return result.ToArray();
    }
}
