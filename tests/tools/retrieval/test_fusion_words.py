from anomalygen.tools.retrieval.fusion import fuse
from anomalygen.tools.retrieval.words import tokens


def test_tokens_split_camel_case_and_drop_stopwords():
    assert tokens("where is the blockReport of HDFSClient") == ["block", "report", "hdfs", "client"]


def test_fuse_prefers_documents_both_rankings_agree_on():
    fused = [doc for doc, _ in fuse([["a", "b", "c"], ["b", "d", "a"]])]
    assert fused[:2] == ["b", "a"] or fused[:2] == ["a", "b"]
    assert set(fused) == {"a", "b", "c", "d"}
    assert fused.index("d") > fused.index("b")
