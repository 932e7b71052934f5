# language: vi
Tính năng: Quy tắc giam-chi-phi: cắt giảm chi phí tuân thủ TTHC chưa đạt
  Kế hoạch đặt chỉ tiêu "cắt giảm 50% chi phí tuân thủ TTHC so với năm 2024".

  Bối cảnh:
    Cho ngày kiểm tra là 22/11/2026
    Và kế hoạch năm 2026

  Kịch bản: Chi phí từ 400.000 đồng xuống 300.000 đồng mới giảm 25%
    Cho các chỉ tiêu:
      | Mã   | Chỉ tiêu                                         | So sánh | Giá trị | Đơn vị tính | 03 giảm | Năm gốc |
      | CT08 | Cắt giảm 50% chi phí tuân thủ TTHC so với 2024   | >=      | 50      | %           | chi phí | 2024    |
    Và các thủ tục hành chính:
      | Mã       | Tên              | Năm gốc | Chi phí năm gốc | Chi phí hiện nay |
      | 2.000908 | Chứng thực bản sao | 2024  | 400000          | 300000           |
    Khi kiểm tra theo quy tắc "giam-chi-phi"
    Thì có phát hiện vi phạm cho thủ tục "2.000908"
    Và giá trị "cost_reduction" là 25
    Và giá trị "cost_target" là 50

  Kịch bản: Giảm đúng 50% thì đạt
    Cho các chỉ tiêu:
      | Mã   | Chỉ tiêu                                       | So sánh | Giá trị | Đơn vị tính | 03 giảm | Năm gốc |
      | CT08 | Cắt giảm 50% chi phí tuân thủ TTHC so với 2024 | >=      | 50      | %           | chi phí | 2024    |
    Và các thủ tục hành chính:
      | Mã       | Tên                | Năm gốc | Chi phí năm gốc | Chi phí hiện nay |
      | 2.000908 | Chứng thực bản sao | 2024    | 400000          | 200000           |
    Khi kiểm tra theo quy tắc "giam-chi-phi"
    Thì không có phát hiện nào

  Kịch bản: Giảm 60% thì đạt
    Cho các chỉ tiêu:
      | Mã   | Chỉ tiêu                                       | So sánh | Giá trị | Đơn vị tính | 03 giảm | Năm gốc |
      | CT08 | Cắt giảm 50% chi phí tuân thủ TTHC so với 2024 | >=      | 50      | %           | chi phí | 2024    |
    Và các thủ tục hành chính:
      | Mã       | Tên                | Năm gốc | Chi phí năm gốc | Chi phí hiện nay |
      | 2.000908 | Chứng thực bản sao | 2024    | 400000          | 160000           |
    Khi kiểm tra theo quy tắc "giam-chi-phi"
    Thì không có phát hiện nào

  Kịch bản: Kế hoạch không có chỉ tiêu cắt giảm chi phí là thiếu dữ liệu
    Cho các thủ tục hành chính:
      | Mã       | Tên                | Năm gốc | Chi phí năm gốc | Chi phí hiện nay |
      | 2.000908 | Chứng thực bản sao | 2024    | 400000          | 160000           |
    Khi kiểm tra theo quy tắc "giam-chi-phi"
    Thì có phát hiện thiếu dữ liệu "cost_target" cho thủ tục "2.000908"

  Kịch bản: Chưa có cả chi phí năm gốc và hiện nay: thông báo nêu cả hai
    Cho các chỉ tiêu:
      | Mã   | Chỉ tiêu                                         | So sánh | Giá trị | Đơn vị tính | 03 giảm | Năm gốc |
      | CT08 | Cắt giảm 50% chi phí tuân thủ TTHC so với 2024   | >=      | 50      | %           | chi phí | 2024    |
    Và các thủ tục hành chính:
      | Mã       | Tên            | Năm gốc | Số ngày năm gốc |
      | 1.000894 | Đăng ký kết hôn | 2024   | 5               |
    Khi kiểm tra theo quy tắc "giam-chi-phi"
    Thì có phát hiện thiếu dữ liệu "cost_reduction" cho thủ tục "1.000894"
    Và câu thông báo có "chưa có số liệu chi phí tuân thủ năm 2024 và hiện nay"
