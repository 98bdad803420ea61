using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ScienceOfDL.LanguageModels;

/// <summary>
/// Bidirectional attention over a batch whose real tokens are held as rows (text after text, no padding): the texts are
/// split into groups of similar length, and each group is padded only to its own longest text. Attention's cost grows
/// with the square of the padded length, so a batch of mixed lengths (a third padding, say) costs about half as much
/// this way. The index tensors are built once per batch and reused by every layer.
/// </summary>
internal sealed class AttentionGroups
{
    /// <summary>A text joins the current group when it is at least this fraction of the group's longest text.</summary>
    const double MinimumFill = 0.75;

    // Padding keys get -10000 added to their scores (as in the exported MiniLM graph): no token attends to them.
    const float MaskedScore = -10000f;

    sealed record Group(long Texts, long Width, Tensor Gather, Tensor? MaskBias, Tensor Keep);

    readonly Group[] groups;
    readonly Tensor? restore; // null when the groups' rows already come out text after text

    AttentionGroups(Group[] groups, Tensor? restore) => (this.groups, this.restore) = (groups, restore);

    /// <param name="lengths">each text's number of real tokens</param>
    public static AttentionGroups Of(long[] lengths, Device device)
    {
        var offsets = new long[lengths.Length];
        for (var i = 1; i < lengths.Length; i++)
            offsets[i] = offsets[i - 1] + lengths[i - 1];
        // Longest first; a group keeps its texts in batch order.
        var members = new List<List<int>>();
        foreach (var i in Enumerable.Range(0, lengths.Length).OrderByDescending(i => lengths[i]).ThenBy(i => i))
        {
            if (members.Count == 0 || lengths[i] < MinimumFill * lengths[members[^1][0]])
                members.Add([]);
            members[^1].Add(i);
        }
        var groups = new List<Group>();
        var restore = new long[lengths.Sum()];
        var next = 0L;
        foreach (var texts in members.Select(m => m.Order().ToArray()))
        {
            var width = texts.Max(i => lengths[i]);
            // Padding slots read the text's own last token: any finite value will do, since no real token attends to
            // them.
            IEnumerable<T> Slots<T>(Func<int, long, T> value) =>
                texts.SelectMany(i => Enumerable.Range(0, (int)width).Select(j => value(i, j)));
            var gather = Slots((i, j) => offsets[i] + Math.Min(j, lengths[i] - 1));
            var keep = texts.SelectMany((i, k) => Enumerable.Range(0, (int)lengths[i]).Select(j => k * width + j));
            foreach (var i in texts)
                for (var j = 0; j < lengths[i]; j++)
                    restore[offsets[i] + j] = next++;
            var maskBias = texts.All(i => lengths[i] == width)
                ? null
                : tensor(
                    Slots((i, j) => j < lengths[i] ? 0f : MaskedScore).ToArray(),
                    [texts.Length, 1, 1, width],
                    device: device
                );
            groups.Add(
                new Group(
                    texts.Length,
                    width,
                    tensor(gather.ToArray(), device: device),
                    maskBias,
                    tensor(keep.ToArray(), device: device)
                )
            );
        }
        var inOrder = restore.Select((c, r) => c == r).All(same => same);
        return new AttentionGroups(groups.ToArray(), inOrder ? null : tensor(restore, device: device));
    }

    /// <summary>Multi-head attention: qkv [realTokens, 3 × hidden] (queries, keys, values side by side, heads in order
    /// within each) → [realTokens, hidden], rows in the same order.</summary>
    public Tensor Attend(Tensor qkv, long heads)
    {
        var hidden = qkv.shape[1] / 3;
        var parts = groups
            .Select(g =>
            {
                var x = qkv.index_select(0, g.Gather).view(g.Texts, g.Width, 3, heads, hidden / heads);
                Tensor Part(int i) => x.select(2, i).transpose(1, 2); // [texts, heads, width, headDim]
                return F.scaled_dot_product_attention(Part(0), Part(1), Part(2), g.MaskBias)
                    .transpose(1, 2)
                    .reshape(g.Texts * g.Width, hidden)
                    .index_select(0, g.Keep);
            })
            .ToArray();
        var rows = parts.Length == 1 ? parts[0] : cat(parts);
        return restore is null ? rows : rows.index_select(0, restore);
    }
}
