# language: vi
Tính năng: Quy tắc chi-tieu-toi-thieu: chỉ tiêu tối thiểu chưa đạt
  Chỉ tiêu "đạt tối thiểu 80%", "từ 90% trở lên" (so sánh >=) hay "trên 90%" (>):
  kết quả đo gần nhất thấp hơn mức yêu cầu thì bị nêu, kèm kết quả và mức yêu cầu.

  Bối cảnh:
    Cho ngày kiểm tra là 22/11/2026
    Và kế hoạch năm 2026
    Và các chỉ tiêu:
      | Mã   | Chỉ tiêu                                   | So sánh | Giá trị | Đơn vị tính | Đơn vị chủ trì |
      | CT01 | Tỷ lệ hồ sơ trực tuyến đạt tối thiểu 95%   | >=      | 95      | %           | Trung tâm Phục vụ hành chính công |
      | CT02 | Mức độ hài lòng trên 90%                    | >       | 90      | %           | Trung tâm Phục vụ hành chính công |

  Kịch bản: 91,2% hồ sơ trực tuyến so với chỉ tiêu 95%
    Cho các kết quả đo:
      | Mã   | Kỳ      | Kết quả | Ngày đo    |
      | CT01 | 2026-10 | 91,2    | 05/11/2026 |
      | CT02 | 2026-10 | 92      | 05/11/2026 |
    Khi kiểm tra theo quy tắc "chi-tieu-toi-thieu"
    Thì có 1 phát hiện
    Và có phát hiện vi phạm cho chỉ tiêu "CT01"
    Và giá trị "actual" là 91,2
    Và giá trị "value" là 95
    Và câu thông báo có "kết quả 91,2%"
    Và câu thông báo có "thiếu 3,8%"
    Và đơn vị nhận là "Trung tâm Phục vụ hành chính công"

  Kịch bản: Kết quả tính từ tử số và mẫu số
    Cho các kết quả đo:
      | Mã   | Kỳ      | Tử số | Mẫu số | Ngày đo    |
      | CT01 | 2026-10 | 912   | 1000   | 05/11/2026 |
      | CT02 | 2026-10 | 95    | 100    | 05/11/2026 |
    Khi kiểm tra theo quy tắc "chi-tieu-toi-thieu"
    Thì có phát hiện vi phạm cho chỉ tiêu "CT01"
    Và giá trị "actual" là 91,2

  Kịch bản: Đúng bằng mức tối thiểu thì đạt; bằng mức "trên" thì chưa đạt
    Cho các kết quả đo:
      | Mã   | Kỳ      | Kết quả | Ngày đo    |
      | CT01 | 2026-10 | 95      | 05/11/2026 |
      | CT02 | 2026-10 | 90      | 05/11/2026 |
    Khi kiểm tra theo quy tắc "chi-tieu-toi-thieu"
    Thì có 1 phát hiện
    Và có phát hiện vi phạm cho chỉ tiêu "CT02"
    Và không có phát hiện cho chỉ tiêu "CT01"

  Kịch bản: Lấy kết quả đo gần nhất, không lấy kết quả đo sau ngày kiểm tra
    Cho các kết quả đo:
      | Mã   | Kỳ      | Kết quả | Ngày đo    |
      | CT01 | 2026-09 | 90      | 05/10/2026 |
      | CT01 | 2026-10 | 96      | 05/11/2026 |
      | CT01 | 2026-11 | 80      | 05/12/2026 |
      | CT02 | 2026-10 | 91      | 05/11/2026 |
    Khi kiểm tra theo quy tắc "chi-tieu-toi-thieu"
    Thì không có phát hiện nào

  Kịch bản: Chưa có kết quả đo là thiếu dữ liệu, không phải "đạt"
    Cho các kết quả đo:
      | Mã   | Kỳ      | Kết quả | Ngày đo    |
      | CT02 | 2026-10 | 91      | 05/11/2026 |
    Khi kiểm tra theo quy tắc "chi-tieu-toi-thieu"
    Thì có phát hiện thiếu dữ liệu "actual" cho chỉ tiêu "CT01"
    Và mức độ là "nhắc nhở"
