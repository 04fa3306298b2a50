"""The on-disk cache: values survive a reopen, namespaces stay apart, bad folders fail."""

import pytest

from mt_eval.cache import DiskCache, open_cache, text_key
from mt_eval.errors import ConfigError


def test_values_survive_reopening(tmp_path):
    cache = DiskCache(tmp_path / "c")
    cache.put_many("model-a", {text_key("hello"): b"\x01\x02", text_key("world"): b"x"})
    cache.close()
    again = DiskCache(tmp_path / "c")
    found = again.get_many("model-a", [text_key("hello"), text_key("missing")])
    assert found == {text_key("hello"): b"\x01\x02"}
    assert again.count("model-a") == 2


def test_namespaces_do_not_share_values(tmp_path):
    cache = DiskCache(tmp_path)
    cache.put_many("model-a", {"k": b"a"})
    assert cache.get_many("model-b", ["k"]) == {}
    cache.put_many("model-a", {"k": b"b"})
    assert cache.get_many("model-a", ["k"]) == {"k": b"b"}


def test_many_keys_in_one_lookup(tmp_path):
    cache = DiskCache(tmp_path)
    items = {text_key(str(i)): str(i).encode() for i in range(1800)}
    cache.put_many("n", items)
    assert cache.get_many("n", list(items)) == items


def test_text_key_keeps_parts_apart():
    assert text_key("ab", "c") != text_key("a", "bc")
    assert text_key("ab", "c") == text_key("ab", "c")


def test_empty_cache_dir_means_no_cache(tmp_path):
    assert open_cache("") is None
    assert open_cache(str(tmp_path)).path.parent == tmp_path


def test_unusable_folder_is_a_config_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(ConfigError, match="cache_dir: cannot use .*--no-cache"):
        DiskCache(blocker / "sub")
