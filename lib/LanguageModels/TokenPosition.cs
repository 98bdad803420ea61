namespace ScienceOfDL.LanguageModels;

/// <summary>
/// Which token's hidden state represents a text.
/// <list type="bullet">
/// <item><c>Last</c>: the last non-padding token, as the CCS paper's code does (<c>token_idx=-1</c>). For BERT-family
/// encoders that is the closing [SEP], which attends to the whole text; for GPT-2 it is the text's own last token, the
/// only one that has seen all of it.</item>
/// <item><c>First</c>: position 0 ([CLS] for BERT; the first kept token for GPT-2, which has seen nothing else).</item>
/// <item><c>Mean</c>: the mean over all non-padding tokens (special tokens included, as sentence-transformers
/// pools).</item>
/// <item><c>Answer</c>: the answer's own token(s), averaged when it has several: the tokens of the characters an
/// <see cref="AnswerSpan"/> marks (for a contrast pair, the appended " positive" / " negative").</item>
/// <item><c>LastText</c>: the text's own last token, before any closing special token: for BERT-family encoders the
/// token before [SEP] (with a distractor word appended after the answer, the word itself, where a decoder's last token
/// sits, as Farquhar et al. read it); for GPT-2, which adds no special tokens, the same as <c>Last</c>.</item>
/// </list>
/// Texts longer than the model's positions lose their START, so the end (where a CCS prompt puts the answer) is always
/// kept.
/// </summary>
public enum TokenPosition
{
    Last,
    First,
    Mean,
    Answer,
    LastText,
}
