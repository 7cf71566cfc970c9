import pytest

from sanxiang.core.tabular import TooManyRows, UnknownEncoding, decode_text, read_csv_grid


@pytest.mark.parametrize(
    "content",
    [
        "序号,事项\n1,检查\n".encode(),
        b"\xef\xbb\xbf" + "序号,事项\n1,检查\n".encode(),
        "序号,事项\n1,检查\n".encode("gbk"),
        "序号,事项\n1,检查\n".encode("utf-16"),
    ],
)
def test_the_encodings_agencies_and_banks_write_are_read(content):
    assert decode_text(content) == "序号,事项\n1,检查\n"


def test_a_tab_separated_export_is_split_on_tabs():
    assert read_csv_grid(b"a\tb\n1\t2\n", max_rows=10, cell=str.strip) == [["a", "b"], ["1", "2"]]


def test_too_many_rows_are_refused():
    with pytest.raises(TooManyRows):
        read_csv_grid(b"1\n2\n3\n", max_rows=2, cell=str)


def test_bytes_in_no_known_encoding_are_refused():
    with pytest.raises(UnknownEncoding):
        decode_text(b"\xff\xff\xff\x81\x30")
