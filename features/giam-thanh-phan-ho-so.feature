# language: vi
Tính năng: Quy tắc giam-thanh-phan-ho-so: chưa cắt giảm thành phần hồ sơ
  Số thành phần hồ sơ của thủ tục phải ít hơn năm gốc.

  Bối cảnh:
    Cho ngày kiểm tra là 22/11/2026
    Và kế hoạch năm 2026

  Kịch bản: Vẫn 5 thành phần như năm 2024
    Cho các thủ tục hành chính:
      | Mã       | Tên                 | Năm gốc | Thành phần năm gốc | Thành phần hiện nay |
      | 1.004227 | Đăng ký khai sinh   | 2024    | 5                  | 5                   |
    Khi kiểm tra theo quy tắc "giam-thanh-phan-ho-so"
    Thì có phát hiện vi phạm cho thủ tục "1.004227"
    Và mức độ là "nhắc nhở"

  Kịch bản: Giảm từ 5 xuống 4 thành phần thì đạt
    Cho các thủ tục hành chính:
      | Mã       | Tên               | Năm gốc | Thành phần năm gốc | Thành phần hiện nay |
      | 1.004227 | Đăng ký khai sinh | 2024    | 5                  | 4                   |
    Khi kiểm tra theo quy tắc "giam-thanh-phan-ho-so"
    Thì không có phát hiện nào

  Kịch bản: Chưa đo số thành phần hiện nay là thiếu dữ liệu
    Cho các thủ tục hành chính:
      | Mã       | Tên               | Năm gốc | Thành phần năm gốc |
      | 1.004227 | Đăng ký khai sinh | 2024    | 5                  |
    Khi kiểm tra theo quy tắc "giam-thanh-phan-ho-so"
    Thì có phát hiện thiếu dữ liệu "current_components" cho thủ tục "1.004227"
