# language: vi
Tính năng: Quy tắc giam-thoi-gian: cắt giảm thời gian giải quyết TTHC chưa đạt
  Kế hoạch đặt chỉ tiêu "cắt giảm 50% thời gian giải quyết TTHC so với năm 2024". Với mỗi
  thủ tục: tỷ lệ cắt giảm = (số ngày năm gốc - số ngày hiện nay) / số ngày năm gốc x 100%.

  Bối cảnh:
    Cho ngày kiểm tra là 22/11/2026
    Và kế hoạch năm 2026
    Và các chỉ tiêu:
      | Mã   | Chỉ tiêu                                           | So sánh | Giá trị | Đơn vị tính | 03 giảm   | Năm gốc |
      | CT07 | Cắt giảm 50% thời gian giải quyết TTHC so với 2024 | >=      | 50      | %           | thời gian | 2024    |

  Kịch bản: Từ 20 ngày xuống 12 ngày mới giảm 40%
    Cho các thủ tục hành chính:
      | Mã       | Tên                         | Năm gốc | Số ngày năm gốc | Số ngày hiện nay |
      | 1.001612 | Cấp giấy phép xây dựng      | 2024    | 20              | 12               |
    Khi kiểm tra theo quy tắc "giam-thoi-gian"
    Thì có phát hiện vi phạm cho thủ tục "1.001612"
    Và giá trị "time_reduction" là 40
    Và giá trị "time_target" là 50
    Và câu thông báo có "mới cắt giảm 40%, chỉ tiêu 50%"

  Kịch bản: Giảm đúng 50% thì đạt
    Cho các thủ tục hành chính:
      | Mã       | Tên                    | Năm gốc | Số ngày năm gốc | Số ngày hiện nay |
      | 1.001612 | Cấp giấy phép xây dựng | 2024    | 20              | 10               |
    Khi kiểm tra theo quy tắc "giam-thoi-gian"
    Thì không có phát hiện nào

  Kịch bản: Chưa có số ngày hiện nay là thiếu dữ liệu
    Cho các thủ tục hành chính:
      | Mã       | Tên                    | Năm gốc | Số ngày năm gốc |
      | 1.001612 | Cấp giấy phép xây dựng | 2024    | 20              |
    Khi kiểm tra theo quy tắc "giam-thoi-gian"
    Thì có phát hiện thiếu dữ liệu "time_reduction" cho thủ tục "1.001612"
