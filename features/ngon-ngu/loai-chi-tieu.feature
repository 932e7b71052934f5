# language: vi
Tính năng: Loại chỉ tiêu (category), quy tắc tinh chỉnh (refines) và thay thế (replaces)
  Mỗi chỉ tiêu có một loại trong danh sách (docs/rules.md); quy tắc chọn chỉ tiêu theo loại,
  không đoán từ câu chữ. Một quy tắc tinh chỉnh quyết định thay quy tắc nó tinh chỉnh trên
  những chỉ tiêu thuộc phạm vi của nó, nên một chỉ tiêu không bị nêu hai lần.

  Bối cảnh:
    Cho ngày kiểm tra là 22/11/2026
    Và kế hoạch năm 2026
    Và các chỉ tiêu:
      | Mã   | Chỉ tiêu                                  | So sánh | Giá trị | Đơn vị tính | Loại                 |
      | CT01 | Mức độ hài lòng về giải quyết TTHC từ 90% | >=      | 90      | %           | hai-long-tthc        |
      | CT02 | Tỷ lệ hồ sơ trực tuyến từ 90%             | >=      | 90      | %           | nop-ho-so-truc-tuyen |
      | CT03 | Tỷ lệ công khai từ 90%                    | >=      | 90      | %           |                      |
    Và các kết quả đo:
      | Mã   | Kỳ      | Kết quả | Ngày đo    |
      | CT01 | 2026-10 | 92      | 05/11/2026 |
      | CT02 | 2026-10 | 85      | 05/11/2026 |
      | CT03 | 2026-10 | 80      | 05/11/2026 |

  Kịch bản: Chọn chỉ tiêu theo loại
    Cho quy tắc:
      """
      id: hai-long-95
      title: Mức độ hài lòng về giải quyết TTHC dưới 95%
      fact: target
      scope: category == "hai-long-tthc"
      condition: actual < 95
      severity: cảnh báo
      message: Mức độ hài lòng {{ actual }}%, chưa đạt 95%.
      """
    Khi kiểm tra theo quy tắc "hai-long-95"
    Thì có 1 phát hiện
    Và có phát hiện vi phạm cho chỉ tiêu "CT01"
    Và giá trị "category" là "hai-long-tthc"

  Kịch bản: Quy tắc tinh chỉnh quyết định thay trên phạm vi của nó, quy tắc gốc vẫn xét các chỉ tiêu khác
    Cho quy tắc:
      """
      id: hai-long-95
      title: Mức độ hài lòng về giải quyết TTHC dưới 95%
      fact: target
      refines: chi-tieu-toi-thieu
      scope: category == "hai-long-tthc"
      condition: actual < 95
      severity: cảnh báo
      message: Mức độ hài lòng {{ actual }}%, chưa đạt 95%.
      """
    Và các kết quả đo:
      | Mã   | Kỳ      | Kết quả | Ngày đo    |
      | CT01 | 2026-10 | 85      | 05/11/2026 |
      | CT02 | 2026-10 | 85      | 05/11/2026 |
    Khi kiểm tra theo mọi quy tắc
    Thì có phát hiện của quy tắc "hai-long-95" cho chỉ tiêu "CT01"
    Và không có phát hiện của quy tắc "chi-tieu-toi-thieu" cho chỉ tiêu "CT01"
    Và có phát hiện của quy tắc "chi-tieu-toi-thieu" cho chỉ tiêu "CT02"

  Kịch bản: Quy tắc thay thế: quy tắc cũ không chạy nữa
    Cho quy tắc:
      """
      id: toi-thieu-moi
      title: Chỉ tiêu tối thiểu chưa đạt (cách tính của tỉnh)
      fact: target
      replaces: chi-tieu-toi-thieu
      scope: comparison == ">=" and is_reduction == false
      condition: actual < value - 5
      severity: nhắc nhở
      message: Chỉ tiêu {{ target }} thấp hơn mức yêu cầu quá 5 điểm.
      """
    Khi kiểm tra theo mọi quy tắc
    Thì có phát hiện của quy tắc "toi-thieu-moi" cho chỉ tiêu "CT03"
    Và không có phát hiện của quy tắc "chi-tieu-toi-thieu" cho chỉ tiêu "CT02"
    Và không có phát hiện của quy tắc "toi-thieu-moi" cho chỉ tiêu "CT02"
