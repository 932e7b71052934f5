# language: vi
Tính năng: Quy tắc chi-tieu-cat-giam-chua-co-so-lieu: chỉ tiêu "03 giảm" chưa có số liệu thủ tục
  Chỉ tiêu "cắt giảm 50% thời gian giải quyết TTHC so với năm 2024" được đánh giá trên từng thủ tục
  hành chính. Không thủ tục nào có đủ số liệu năm gốc và hiện nay của nội dung cắt giảm thì chỉ
  tiêu không đánh giá được: đơn vị theo dõi phải được đề nghị bổ sung số liệu.

  Bối cảnh:
    Cho ngày kiểm tra là 22/11/2026
    Và kế hoạch năm 2026
    Và các chỉ tiêu:
      | Mã   | Chỉ tiêu                                           | So sánh | Giá trị | Đơn vị tính | 03 giảm   | Năm gốc |
      | CT07 | Cắt giảm 50% thời gian giải quyết TTHC so với 2024 | >=      | 50      | %           | thời gian | 2024    |

  Kịch bản: Kế hoạch chưa có thủ tục nào
    Khi kiểm tra theo quy tắc "chi-tieu-cat-giam-chua-co-so-lieu"
    Thì có phát hiện vi phạm cho chỉ tiêu "CT07"
    Và giá trị "procedures_measured" là 0
    Và câu thông báo có "chưa có số liệu năm gốc và hiện nay của thủ tục hành chính nào"

  Kịch bản: Thủ tục chỉ có số liệu chi phí, chưa có số liệu thời gian
    Cho các thủ tục hành chính:
      | Mã       | Tên                    | Năm gốc | Số ngày năm gốc | Chi phí năm gốc | Chi phí hiện nay |
      | 1.001612 | Cấp giấy phép xây dựng | 2024    | 20              | 500000          | 300000           |
    Khi kiểm tra theo quy tắc "chi-tieu-cat-giam-chua-co-so-lieu"
    Thì có phát hiện vi phạm cho chỉ tiêu "CT07"

  Kịch bản: Một thủ tục có đủ số liệu thời gian thì chỉ tiêu đánh giá được
    Cho các thủ tục hành chính:
      | Mã       | Tên                    | Năm gốc | Số ngày năm gốc | Số ngày hiện nay |
      | 1.001612 | Cấp giấy phép xây dựng | 2024    | 20              | 12               |
    Khi kiểm tra theo quy tắc "chi-tieu-cat-giam-chua-co-so-lieu"
    Thì không có phát hiện nào

  Kịch bản: Chỉ tiêu không phải "03 giảm" thì quy tắc không xét
    Cho các chỉ tiêu:
      | Mã   | Chỉ tiêu                         | So sánh | Giá trị | Đơn vị tính |
      | CT01 | Tỷ lệ hồ sơ trực tuyến đạt 95%   | >=      | 95      | %           |
    Khi kiểm tra theo quy tắc "chi-tieu-cat-giam-chua-co-so-lieu"
    Thì không có phát hiện cho chỉ tiêu "CT01"
