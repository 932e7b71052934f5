"""A chart's SVG names its clip paths in order of appearance: matplotlib's names hash an object's
address, and the Quyết Thắng summary came out with other bytes under Python 3.12."""

from dondoc.templates.charts import _stable_ids


def test_clip_paths_are_named_in_order_whatever_matplotlib_called_them():
    one = b'<clipPath id="p74bd3e6fe7"/><path clip-path="url(#p74bd3e6fe7)"/><path clip-path="url(#pafdf8260d8)"/>'
    two = b'<clipPath id="p77fc12ccaf"/><path clip-path="url(#p77fc12ccaf)"/><path clip-path="url(#p9e3cb98393)"/>'
    assert _stable_ids(one) == _stable_ids(two) == b'<clipPath id="clip1"/><path clip-path="url(#clip1)"/><path clip-path="url(#clip2)"/>'
