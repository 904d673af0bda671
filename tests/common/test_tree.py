from hongniudai.common.tree import ancestor_ids, child_path, path_length_at_depth


def test_paths_nest_and_do_not_collide_on_prefix():
    root = child_path("", 1)
    a = child_path(root, 5)
    b = child_path(root, 50)
    assert a.startswith(root) and b.startswith(root)
    assert not b.startswith(a)
    assert ancestor_ids(b) == [1, 50]
    assert len(b) == path_length_at_depth(2)
