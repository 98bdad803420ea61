using System.Security.Cryptography;
using System.Text;
using ScienceOfDL.Results;
using static TorchSharp.torch;

namespace ScienceOfDL.Grokking;

/// <summary>
/// Everything a training run changes: the model, AdamW's two moment estimates per parameter, and step counters. Saved
/// and loaded bit-exactly, so a resumed run continues as if never stopped. A state can also be carried to another run
/// (another training set, another weight decay), e.g. to shrink the data of a grokked network.
/// </summary>
public sealed class TrainingState : IDisposable
{
    public Transformer Model { get; }

    /// <summary>Updates applied to this model in total.</summary>
    public int Step { get; internal set; }

    /// <summary>Where this state's weights came from: a fresh init's seed, a checkpoint (named with its checksum), and
    /// what was done to it since. Part of every result key of a run that starts here, so keys chain.</summary>
    public string Origin { get; internal set; } = "";

    /// <summary>The checkpoint file a saved run left this state in (null if it was never saved): what later experiments
    /// that start from this network (efficiency, ungrokking) load.</summary>
    public string? Checkpoint { get; internal set; }

    /// <summary>Updates since the optimiser state was last reset (drives bias correction and warm-up).</summary>
    public int OptimizerStep { get; internal set; }

    // AdamW's moments live in one flat buffer each, with a view per parameter: the update then runs as a few large
    // elementwise operations instead of several small ones per parameter (a tenth of a step's time at the papers'
    // size).
    readonly Tensor _mFlat,
        _vFlat;
    readonly Tensor[] _m,
        _v;
    readonly long[] _offsets;

    /// <summary>AdamW's first and second moments: flat buffers, the parameters flattened one after another in
    /// <see cref="Transformer.Parameters"/> order (an ensemble keeps one such row per run).</summary>
    internal Tensor FirstMoment => _mFlat;
    internal Tensor SecondMoment => _vFlat;

    public TrainingState(Transformer model)
    {
        Model = model;
        using var scope = NewDisposeScope();
        var sizes = model.Parameters.Select(p => p.Value.numel()).ToArray();
        _offsets = new long[sizes.Length];
        for (var i = 1; i < sizes.Length; i++)
            _offsets[i] = _offsets[i - 1] + sizes[i - 1];
        _mFlat = zeros(sizes.Sum(), device: model.W_E.device).DetachFromDisposeScope();
        _vFlat = zeros(sizes.Sum(), device: model.W_E.device).DetachFromDisposeScope();
        _m = Enumerable.Range(0, sizes.Length).Select(i => ParameterView(_mFlat, i).DetachFromDisposeScope()).ToArray();
        _v = Enumerable.Range(0, sizes.Length).Select(i => ParameterView(_vFlat, i).DetachFromDisposeScope()).ToArray();
    }

    /// <summary>The part of a flat buffer that belongs to parameter <paramref name="i"/>, shaped like it.</summary>
    Tensor ParameterView(Tensor flat, int i) =>
        flat.narrow(0, _offsets[i], Model.Parameters[i].Value.numel()).view(Model.Parameters[i].Value.shape);

    public static TrainingState Create(TransformerConfig config, int seed, Device? device = null) =>
        new(new Transformer(config, seed, device)) { Origin = $"init seed {seed}" };

    /// <summary>Forgets AdamW's moments and restarts warm-up; the weights stay.</summary>
    public void ResetOptimizer()
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        _mFlat.zero_();
        _vFlat.zero_();
        OptimizerStep = 0;
        Origin += ", optimizer reset";
    }

    /// <summary>One AdamW update (decoupled weight decay, as torch.optim.AdamW) with linear warm-up.</summary>
    internal void AdamWStep(IList<Tensor> grads, TrainConfig c)
    {
        OptimizerStep++;
        Step++;
        var lr = c.LearningRate * Math.Min(1.0, OptimizerStep / (double)Math.Max(1, c.WarmupSteps));
        var bc1 = 1 - Math.Pow(c.Beta1, OptimizerStep);
        var bc2 = 1 - Math.Pow(c.Beta2, OptimizerStep);
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var g = cat(grads.Select(t => t.reshape(-1)).ToArray());
        _mFlat.mul_(c.Beta1).add_(g, alpha: 1 - c.Beta1);
        _vFlat.mul_(c.Beta2).addcmul_(g, g, value: 1 - c.Beta2);
        var denom = (_vFlat.sqrt() / Math.Sqrt(bc2)).add_(c.Eps);
        for (var i = 0; i < grads.Count; i++)
        {
            Model
                .Parameters[i]
                .Value.mul_(1 - lr * c.WeightDecay)
                .addcdiv_(_m[i], ParameterView(denom, i), value: -lr / bc1);
        }
    }

    // ---- checkpoints: named float32 tensors and a description, then a SHA-256 of everything before it ----
    const string Magic = "SODL-grokking-checkpoint-2";

    /// <summary>What a checkpoint holds, in file order: the parameters, then AdamW's first and second
    /// moments.</summary>
    Tensor[] SavedTensors() => [.. Model.Parameters.Select(p => p.Value), .. _m, .. _v];

    public void Save(string path, string description, int runStartStep)
    {
        using var scope = NewDisposeScope(); // the CPU copies below
        using var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(description);
            WriteConfig(w, Model.Config);
            w.Write(Step);
            w.Write(OptimizerStep);
            w.Write(runStartStep);
            var names = Model.Parameters.Select(p => p.Name).ToArray();
            var tensors = SavedTensors();
            w.Write(tensors.Length);
            for (var i = 0; i < tensors.Length; i++)
            {
                w.Write(i < names.Length ? names[i] : (i < 2 * names.Length ? "m." : "v.") + names[i % names.Length]);
                var data = tensors[i].detach().cpu().to(ScalarType.Float32).data<float>().ToArray();
                w.Write(data.Length);
                var bytes = new byte[data.Length * 4];
                Buffer.BlockCopy(data, 0, bytes, 0, bytes.Length);
                w.Write(bytes);
            }
        }
        var checksum = SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        buffer.Write(checksum);
        buffer.Position = 0;
        AtomicFile.Write(path, s => buffer.CopyTo(s));
    }

    /// <summary>The SHA-256 a checkpoint file ends with (hex): names its exact content in result keys.</summary>
    public static string Checksum(string path) => Convert.ToHexString(Verified(path)[^32..]).ToLowerInvariant();

    /// <summary>Reads a checkpoint into a new state. <paramref name="runStartStep"/> is the step the saving run began
    /// at.</summary>
    public static TrainingState Load(string path, out string description, out int runStartStep, Device? device = null)
    {
        TransformerConfig config;
        using (var r = Open(path, out _))
            config = ReadConfig(r);
        var state = new TrainingState(new Transformer(config, seed: 0, device));
        state.Restore(path, out description, out runStartStep);
        state.Origin = $"checkpoint sha256 {Checksum(path)[..16]} (step {state.Step})";
        return state;
    }

    /// <summary>The file's bytes after checking it is a whole, unaltered checkpoint (its checksum matches).</summary>
    static byte[] Verified(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"No checkpoint {path}.", path);
        var bytes = File.ReadAllBytes(path);
        using (var r = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8))
        {
            string? magic;
            // a short file of something else
            try
            {
                magic = r.ReadString();
            }
            catch (EndOfStreamException)
            {
                magic = null;
            }
            if (magic != Magic)
                throw new InvalidDataException($"{path} is not a grokking checkpoint (format {Magic}).");
        }
        if (bytes.Length < 32 || !SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32)).SequenceEqual(bytes[^32..]))
            throw new InvalidDataException(
                $"{path} is damaged (truncated or altered: its checksum does not match). "
                    + "Delete it to retrain from the start."
            );
        return bytes;
    }

    /// <summary>A reader past the checkpoint's header (magic and description), of a verified file.</summary>
    static BinaryReader Open(string path, out string description)
    {
        var bytes = Verified(path);
        var r = new BinaryReader(new MemoryStream(bytes, 0, bytes.Length - 32), Encoding.UTF8);
        r.ReadString();
        description = r.ReadString();
        return r;
    }

    static void WriteConfig(BinaryWriter w, TransformerConfig c)
    {
        foreach (var v in new[] { c.Vocab, c.Outputs, c.DModel, c.Heads, c.DHead, c.DMlp, c.Context })
            w.Write(v);
    }

    static TransformerConfig ReadConfig(BinaryReader r) =>
        new(r.ReadInt32(), r.ReadInt32(), r.ReadInt32(), r.ReadInt32(), r.ReadInt32(), r.ReadInt32(), r.ReadInt32());

    /// <summary>Overwrites this state (weights, moments, counters) with a checkpoint's, which must have the same model
    /// sizes.</summary>
    public void Restore(string path, out string description, out int runStartStep)
    {
        using var r = Open(path, out description);
        var config = ReadConfig(r);
        if (config != Model.Config)
            throw new InvalidDataException($"{path} holds a {config}, not a {Model.Config}.");
        Step = r.ReadInt32();
        OptimizerStep = r.ReadInt32();
        runStartStep = r.ReadInt32();
        var tensors = SavedTensors();
        if (r.ReadInt32() != tensors.Length)
            throw new InvalidDataException($"{path}: wrong number of tensors.");
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        foreach (var t in tensors)
        {
            r.ReadString();
            var n = r.ReadInt32();
            if (n != t.numel())
                throw new InvalidDataException($"{path}: tensor size {n}, model expects {t.numel()}.");
            var data = new float[n];
            Buffer.BlockCopy(r.ReadBytes(n * 4), 0, data, 0, n * 4);
            using var loaded = tensor(data, t.shape, device: t.device);
            t.copy_(loaded);
        }
    }

    public static TrainingState Load(string path, Device? device = null) => Load(path, out _, out _, device);

    public void Dispose()
    {
        Model.Dispose();
        foreach (var t in _m.Concat(_v))
            t.Dispose();
        _mFlat.Dispose();
        _vFlat.Dispose();
    }
}
