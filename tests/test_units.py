

def test_without_locality_drops_only_the_trailing_commune_word():
    from dondoc.text import without_locality

    assert without_locality("Phòng Kinh tế xã") == "Phòng Kinh tế"
    assert without_locality("Văn phòng HĐND và UBND Phường") == "Văn phòng HĐND và UBND"
    assert without_locality("Trạm Y tế xã Gia Lộc") == "Trạm Y tế xã Gia Lộc"  # a name, not a suffix
