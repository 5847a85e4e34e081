# SPDX-License-Identifier: MIT
"""Records and result sets: read/write in every format, len, iteration,
to_numpy and to_pandas from the C memory in bulk."""

import math
import os

import numpy as np
import pandas as pd
import pytest

import perfkit
from perfkit import Record, Results


def sample_set(n=5):
    res = Results()
    for i in range(n):
        res.append(Record(name="dgemm", host="node1", worker=i, cpu=i % 2,
                          t_submit=0.0, t_start=0.1 * i, t_setup=0.1 * i + 0.05,
                          t_end=1.0 + 0.1 * i, t_collected=1.2 + 0.1 * i,
                          repetitions=10, problem_size=1024,
                          flops=2.0 * 1024**3 * 10, elapsed=0.95,
                          params={"workers": str(n), "mode": "threads"}))
    res.meta["study"] = "unit test"
    return res


def test_len_index_and_iteration():
    res = sample_set()
    assert len(res) == 5
    recs = list(res)
    assert [r.worker for r in recs] == [0, 1, 2, 3, 4]
    assert res[-1].worker == 4 and res[0].name == "dgemm"
    assert res[0].params == {"workers": "5", "mode": "threads"}
    assert [r.worker for r in res[1:3]] == [1, 2]
    with pytest.raises(IndexError):
        res[5]
    with pytest.raises(IndexError):
        Results()[0]


def test_defaults_of_a_record():
    res = Results()
    res.append(name="x")
    r = res[0]
    assert r.worker == -1 and r.rank == -1 and r.status == 0
    assert math.isnan(r.t_submit) and math.isnan(r.t_collected)


@pytest.mark.parametrize("ext", ["csv", "json", "jsonl"])
def test_round_trip_every_format(tmp_path, ext):
    res = sample_set()
    res.append(Record(name='odd, "quoted"\nname \u00e9', worker=9, elapsed=math.nan))
    path = tmp_path / ("r." + ext)
    res.write(path)
    back = Results.read(str(path))
    assert len(back) == len(res)
    assert back.meta["study"] == "unit test"
    assert back.epoch_ns == res.epoch_ns
    a, b = res.to_pandas(), back.to_pandas()
    pd.testing.assert_frame_equal(a, b, check_categorical=False)
    assert back[5].name == 'odd, "quoted"\nname \u00e9'


def test_format_and_parse():
    res = sample_set(2)
    for fmt in ("csv", "json", "jsonl"):
        text = res.format(fmt)
        assert isinstance(text, str) and "dgemm" in text
        assert len(Results.parse(text, fmt)) == 2
    with pytest.raises(perfkit.MalformedInputError):
        Results.parse("{not json", "json")
    with pytest.raises(perfkit.InvalidArgumentError):
        res.format("auto")


def test_to_numpy_is_the_c_record_block():
    res = sample_set()
    arr = res.to_numpy()
    assert arr.dtype == perfkit.RECORD_DTYPE and len(arr) == 5
    assert list(arr["worker"]) == [0, 1, 2, 3, 4]
    assert arr["name"][0] == b"dgemm"
    assert arr["version"][0] == 1 and arr["size"][0] == perfkit.RECORD_DTYPE.itemsize
    assert arr["params"]["key"][0, 0] == b"workers"
    assert len(Results().to_numpy()) == 0


def test_to_pandas_columns_and_types():
    res = sample_set()
    df = res.to_pandas()
    assert list(df.columns[:17]) == list(perfkit.FIELDS)
    assert list(df.columns[17:]) == ["workers", "mode"]
    assert len(df) == 5
    assert df["name"].astype(str).tolist() == ["dgemm"] * 5
    assert df["workers"].dtype == np.int64 and (df["workers"] == 5).all()
    assert df["mode"].astype(str).tolist() == ["threads"] * 5
    assert df["t_end"].tolist() == pytest.approx([1.0, 1.1, 1.2, 1.3, 1.4])
    assert df["repetitions"].dtype == np.uint64
    gflops = df.flops / df.elapsed / 1e9
    assert (gflops > 0).all()
    assert df.attrs["epoch_ns"] == res.epoch_ns
    assert df.attrs["meta"]["study"] == "unit test"


def test_to_pandas_mixed_params_and_extras(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("name,worker,elapsed,param.size,gpu,note\n"
                    "a,0,1.5,64,0,first\n"
                    "b,1,2.5,,1,\n"
                    "c,2,3.5,128,2,third\n")
    res = Results.read(str(path))
    df = res.to_pandas()
    assert df["name"].astype(str).tolist() == ["a", "b", "c"]
    assert df["elapsed"].tolist() == [1.5, 2.5, 3.5]
    assert "gpu" in df.columns and "note" in df.columns
    assert df["gpu"].tolist() == [0, 1, 2]
    assert res.extras(0)["note"] == "first"
    assert "gpu" not in res.to_pandas(extras=False).columns


def test_set_extra_and_record_conversions():
    res = sample_set(2)
    res.set_extra(1, "gpu", 7)
    assert res.extras(1) == {"gpu": "7"} and res.extras(0) == {}
    assert res.to_pandas()["gpu"].tolist()[1] == 7
    with pytest.raises(perfkit.InvalidArgumentError):
        res.set_extra(5, "gpu", "x")
    with pytest.raises(TypeError):
        res.set_extra(0, None, "x")
    rec = Record(name="k", worker=3, flops=1.5, params={"a": "1"}, t_submit=0.0,
                 t_start=0.0, t_setup=0.5, t_end=1.0, t_collected=1.0)
    c = rec.to_c()
    assert c.name == b"k" and c.worker == 3 and c.nparams == 1
    assert Record.from_c(c) == rec
    with pytest.raises(perfkit.RangeError):
        Record(name="x" * 64).to_c()
    assert set(perfkit.results.FORMATS) == {"auto", "csv", "json", "jsonl", "gbench",
                                            "hyperfine"}


def test_many_records_in_bulk():
    res = Results()
    rec = Record(name="k", elapsed=1.0, flops=3.0, params={"workers": "8"})
    for _ in range(2000):
        res.append(rec)
    df = res.to_pandas()
    assert len(df) == 2000 and (df["workers"] == 8).all()
    assert df["flops"].sum() == 6000.0


def test_meta_mapping():
    res = Results()
    res.meta["a"] = "1"
    res.meta["b"] = 2
    assert res.meta["b"] == "2"
    assert "date" in res.meta and "perfkit.version" in res.meta
    with pytest.raises(KeyError):
        res.meta["nope"]
    keys = list(res.meta)
    assert keys.index("a") < keys.index("b")


def test_machine_metadata():
    res = Results()
    res.set_machine()
    assert res.meta["machine.topology.cores"] == str(perfkit.machine().cores)


def test_sort_and_filter():
    res = sample_set()
    res.sort("worker", descending=True)
    assert [r.worker for r in res] == [4, 3, 2, 1, 0]
    sub = res.filter("worker", 3)
    assert len(sub) == 1 and sub[0].worker == 3
    assert len(res.filter("mode", "processes")) == 0


def test_record_limits():
    res = Results()
    with pytest.raises(perfkit.RangeError):
        res.append(Record(name="n" * 64))
    with pytest.raises(perfkit.TableFullError):
        res.append(Record(params={str(i): "v" for i in range(5)}))
    with pytest.raises(perfkit.InvalidArgumentError):
        res.append(Record(params={"flops": "1"}))
    with pytest.raises(TypeError):
        res.append(Record(params=["a"]))
    with pytest.raises(TypeError):
        res.append(Record(), name="x")
    assert len(res) == 0


def test_read_errors(tmp_path):
    with pytest.raises(perfkit.NotSupportedError):
        Results.read(str(tmp_path / "file.unknown"))
    with pytest.raises(perfkit.Error):
        Results.read(str(tmp_path))  # a folder
    with pytest.raises(ValueError):
        Results.read("x.csv", format="xml")
    empty = tmp_path / "empty.json"
    empty.write_text("")
    with pytest.raises(perfkit.MalformedInputError):
        Results.read(str(empty))


def test_write_error_leaves_nothing(tmp_path):
    with pytest.raises(perfkit.Error):
        sample_set().write(str(tmp_path / "no" / "such" / "dir.csv"))
    with pytest.raises(perfkit.NotSupportedError):
        sample_set().write(str(tmp_path / "x.gbench"))
    assert list(tmp_path.iterdir()) == []


# ---- sets read as columns (perfkit_columns_read) ----

def expected_frame(res):
    """The DataFrame to_pandas() must give, built one record at a time in
    Python: the reference the columnar path is held to."""
    rows = [r for r in res]
    data = {f: [getattr(r, f) for r in rows] for f in perfkit.FIELDS}
    keys = []
    for r in rows:
        keys += [k for k in r.params if k not in keys]
    for k in keys:
        data[k] = [r.params.get(k) for r in rows]
    return data


def mixed_set():
    res = Results()
    res.append(Record(name="a", host="h1", worker=0, elapsed=1.0,
                      params={"n": "4", "ratio": "0.5", "tag": "x"}))
    res.append(Record(name="b", host="h1", worker=1, elapsed=2.0,
                      params={"tag": "y", "n": "8"}))
    res.append(Record(name="a", host="h2", worker=2, elapsed=3.0,
                      params={"ratio": "1e3", "only": "z"}))
    return res


@pytest.mark.parametrize("ext", ["csv", "json", "jsonl"])
def test_columns_frame_matches_records(tmp_path, ext):
    res = mixed_set()
    path = tmp_path / ("m." + ext)
    res.write(path)
    df = Results.read(str(path)).to_pandas()
    want = expected_frame(res)
    assert list(df.columns) == list(want)
    for f in perfkit.FIELDS:
        got = df[f].astype(str).tolist() if f in ("name", "host") else df[f].tolist()
        assert got == pytest.approx(want[f], nan_ok=True), f
    # "n": integers with one missing -> float with NaN; "ratio": floats
    assert df["n"].tolist()[:2] == [4.0, 8.0] and math.isnan(df["n"][2])
    assert df["ratio"].tolist()[0] == 0.5 and df["ratio"].tolist()[2] == 1000.0
    assert math.isnan(df["ratio"][1])
    # text: categoricals, NaN where a record has none
    assert df["tag"].dtype.name == "category"
    assert df["tag"].tolist()[:2] == ["x", "y"] and pd.isna(df["tag"][2])
    assert pd.isna(df["only"][0]) and df["only"][2] == "z"


def test_read_is_lazy_until_records_are_needed(tmp_path):
    path = tmp_path / "s.csv"
    sample_set(7).write(path)
    res = Results.read(str(path))
    assert res._records is None            # columns only
    assert len(res) == 7 and res.meta["study"] == "unit test"
    assert res.epoch_ns > 0 and res._records is None
    assert res[3].worker == 3              # records built here
    assert res._records is not None and res._cols is None
    assert res[3].params == {"workers": "7", "mode": "threads"}
    res.append(name="late")
    assert len(res) == 8 and res.to_pandas()["name"].astype(str).tolist()[-1] == "late"


def test_read_then_write_gives_the_same_file(tmp_path):
    src = sample_set(4)
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    src.write(a)
    Results.read(str(a)).write(b)
    assert a.read_text() == b.read_text()


def test_to_pandas_copies_for_a_set_still_held(tmp_path):
    path = tmp_path / "s.csv"
    sample_set(3).write(path)
    res = Results.read(str(path))
    df = res.to_pandas()
    df.loc[0, "flops"] = -1.0             # writable, and the set's own
    df2 = res.to_pandas()                  # columns are untouched
    assert df2["flops"][0] == 2.0 * 1024**3 * 10
    assert res[0].flops == 2.0 * 1024**3 * 10


def test_to_pandas_of_a_temporary_takes_the_columns(tmp_path):
    path = tmp_path / "s.csv"
    sample_set(3).write(path)
    df = Results.read(str(path)).to_pandas()
    df.loc[1, "elapsed"] = 7.0             # writable
    assert df["elapsed"].tolist() == [0.95, 7.0, 0.95]
    # the arrays are the library's: the columns live as long as the frame
    base = df["elapsed"].values
    while isinstance(base, np.ndarray) and base.base is not None:
        base = base.base
    assert type(base).__name__ == "_Buffer"


def test_to_pandas_copy_false_empties_the_set(tmp_path):
    path = tmp_path / "s.csv"
    sample_set(3).write(path)
    res = Results.read(str(path))
    df = res.to_pandas(copy=False)
    assert len(df) == 3
    assert "given to a DataFrame" in repr(res)
    with pytest.raises(perfkit.InvalidArgumentError, match="gave its records"):
        len(res)
    with pytest.raises(ValueError, match="read the file again"):
        res[0]
    del res
    assert df["worker"].tolist() == [0, 1, 2]   # the frame keeps the memory
    # a set of records in memory keeps them whatever copy says
    mem = sample_set(2)
    mem.to_pandas(copy=False)
    assert len(mem) == 2
    with pytest.raises(TypeError):
        mem.to_pandas(copy="no")


def test_columns_of_an_empty_set(tmp_path):
    path = tmp_path / "e.csv"
    Results().write(path)
    df = Results.read(str(path)).to_pandas()
    assert len(df) == 0 and list(df.columns) == list(perfkit.FIELDS)
    assert len(Results().to_pandas()) == 0


def test_columns_read_errors(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("name,flops\nx,1\ny,lots\n")
    with pytest.raises(perfkit.MalformedInputError, match="line 3, column 2"):
        Results.read(str(bad))
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(perfkit.NotSupportedError, match="FIFO"):
        Results.read(str(fifo))
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    with pytest.raises(perfkit.MalformedInputError):
        Results.read(str(empty))


def test_to_pandas_copy_of_many_distinct_texts_is_the_frames_own(tmp_path):
    # above 32767 categories pandas keeps the codes array it is given
    path = tmp_path / "many.csv"
    n = 40000
    path.write_text("name,worker,param.run\n" +
                    "".join("k%05d,%d,run-%05d\n" % (i, i, i) for i in range(n)))
    res = Results.read(str(path))
    df = res.to_pandas()
    df.loc[0, "name"] = "k00007"
    df.loc[0, "run"] = "run-00009"
    again = res.to_pandas()
    assert again["name"][0] == "k00000" and again["run"][0] == "run-00000"
    assert res[0].name == "k00000" and res[0].params["run"] == "run-00000"


def test_to_pandas_that_fails_keeps_the_set(tmp_path, monkeypatch):
    path = tmp_path / "s.csv"
    sample_set(3).write(path)
    res = Results.read(str(path))

    def broken(*args, **kwargs):
        raise MemoryError("no room for the frame")
    monkeypatch.setattr(perfkit._columns, "frame", broken)
    with pytest.raises(MemoryError):
        res.to_pandas(copy=False)
    monkeypatch.undo()
    assert len(res) == 3 and res.to_pandas(copy=False)["worker"].tolist() == [0, 1, 2]
