using static TorchSharp.torch;

namespace ScienceOfDL.Grokking;

/// <summary>
/// Runs trained as batched ensembles, one per core: the runs, ordered by training-set size, are cut into groups of
/// similar cost (padding to each group's largest training set), and the groups take each step side by side on their own
/// threads with one torch thread each. On a CPU this keeps every core on whole matrix products of its own, where one
/// ensemble on two torch threads would split every product and every small elementwise operation across the cores and
/// wait for both at each of them; that waiting dominated when other processes shared the cores (8 runs at p = 113,
/// D = 1000 took 7.4 s a step that way on a loaded machine, against 0.45 s as two single-threaded groups).
/// </summary>
public sealed class EnsembleGroups : IDisposable
{
    readonly Group[] _groups;
    readonly (int Group, int Index)[] _where; // run → its group and its row there

    sealed record Group(
        int[] Runs,
        EnsembleState State,
        EnsembleBatch Batch,
        TrainConfig[] Configs,
        Transformer[] Members
    );

    /// <param name="groups">How many groups (threads); by default one per torch thread, at most one per run.</param>
    public EnsembleGroups(
        IReadOnlyList<TrainingState> states,
        IReadOnlyList<Split> data,
        IReadOnlyList<TrainConfig> configs,
        int? groups = null
    )
    {
        var runs = states.Count;
        var count = Math.Clamp(groups ?? get_num_threads(), 1, Math.Max(1, runs));
        var order = Enumerable.Range(0, runs).OrderBy(r => data[r].TrainSize).ToArray();
        _where = new (int, int)[runs];
        _groups = Partition(order.Select(r => data[r].TrainSize).ToArray(), count)
            .Select(
                (range, g) =>
                {
                    var members = order[range];
                    for (var i = 0; i < members.Length; i++)
                        _where[members[i]] = (g, i);
                    var state = new EnsembleState(members.Select(r => states[r]).ToList());
                    var batch = new EnsembleBatch(members.Select(r => data[r]).ToList(), state.Model.Weights.device);
                    return new Group(
                        members,
                        state,
                        batch,
                        members.Select(r => configs[r]).ToArray(),
                        Enumerable.Range(0, members.Length).Select(state.Model.Member).ToArray()
                    );
                }
            )
            .ToArray();
    }

    public int Runs => _where.Length;
    public int GroupCount => _groups.Length;

    /// <summary>Updates run r has taken in total.</summary>
    public int StepOf(int run) => _groups[_where[run].Group].State.Step[_where[run].Index];

    /// <summary>Run r as a plain model whose tensors are views of its group's weights (see
    /// <see cref="EnsembleTransformer.Member"/>).</summary>
    public Transformer Member(int run) => _groups[_where[run].Group].Members[_where[run].Index];

    /// <summary>Writes run r's weights, moments and counters into a training state.</summary>
    public void CopyTo(int run, TrainingState state) =>
        _groups[_where[run].Group].State.CopyTo(_where[run].Index, state);

    /// <summary>One full-batch AdamW update of every run.</summary>
    public void Step() =>
        OnEachGroup(g => EnsembleTrainer.Step(_groups[g].State, _groups[g].Batch, _groups[g].Configs));

    /// <summary>Applies <paramref name="measure"/> to these runs (each with its model, a view), each group's runs on
    /// its own thread; results in the order of <paramref name="runs"/>.</summary>
    public T[] Measure<T>(IReadOnlyList<int> runs, Func<int, Transformer, T> measure)
    {
        var results = new T[runs.Count];
        OnEachGroup(g =>
        {
            for (var k = 0; k < runs.Count; k++)
                if (_where[runs[k]].Group == g)
                    results[k] = measure(runs[k], Member(runs[k]));
        });
        return results;
    }

    /// <summary>Work for each group: with one group on the caller's thread as it is set up, with more each group on its
    /// own thread with one torch thread.</summary>
    void OnEachGroup(Action<int> work)
    {
        if (_groups.Length == 1)
        {
            work(0);
            return;
        }
        var others = Enumerable
            .Range(1, _groups.Length - 1)
            .Select(g => Task.Run(() => SingleThreaded(() => work(g))))
            .ToArray();
        SingleThreaded(() => work(0));
        Task.WaitAll(others);
    }

    /// <summary>Runs an action with one torch thread on this thread, then restores the count it had.</summary>
    static void SingleThreaded(Action action)
    {
        var before = get_num_threads();
        set_num_threads(1);
        try
        {
            action();
        }
        finally
        {
            set_num_threads(before);
        }
    }

    /// <summary>Cuts sizes (ascending) into at most <paramref name="count"/> contiguous ranges minimising the largest
    /// group cost, a group costing its run count × its largest size (what its padded batch computes).</summary>
    static Range[] Partition(int[] sizes, int count)
    {
        var n = sizes.Length;
        double Cost(int from, int to) => (to - from) * (double)sizes[to - 1]; // ascending: the last is the largest
        // best[g, i]: smallest achievable largest cost putting the first i runs into g groups.
        var best = new double[count + 1, n + 1];
        var cut = new int[count + 1, n + 1];
        for (var i = 1; i <= n; i++)
            best[0, i] = double.PositiveInfinity;
        for (var g = 1; g <= count; g++)
        for (var i = 0; i <= n; i++)
        {
            best[g, i] = double.PositiveInfinity;
            for (var j = 0; j <= i; j++)
            {
                var cost = Math.Max(best[g - 1, j], j == i ? 0 : Cost(j, i));
                if (cost < best[g, i])
                    (best[g, i], cut[g, i]) = (cost, j);
            }
        }
        var ranges = new List<Range>();
        for (int g = count, i = n; g > 0; i = cut[g, i], g--)
            if (cut[g, i] < i)
                ranges.Insert(0, cut[g, i]..i);
        return ranges.ToArray();
    }

    public void Dispose()
    {
        foreach (var g in _groups)
        {
            foreach (var m in g.Members)
                m.Dispose();
            g.Batch.Dispose();
            g.State.Dispose();
        }
    }
}
