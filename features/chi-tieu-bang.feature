# language: vi
Tính năng: Quy tắc chi-tieu-bang: chỉ tiêu phải đạt đúng mức
  Chỉ tiêu "đạt 100%" (so sánh ==): kết quả khác mức yêu cầu thì bị nêu.

  Bối cảnh:
    Cho ngày kiểm tra là 22/11/2026
    Và kế hoạch năm 2026
    Và các chỉ tiêu:
      | Mã   | Chỉ tiêu                                  | So sánh | Giá trị | Đơn vị tính |
      | CT03 | Tỷ lệ số hóa hồ sơ, kết quả đạt 100%      | ==      | 100     | %           |

  Kịch bản: 97,5% số hóa so với yêu cầu 100%
    Cho các kết quả đo:
      | Mã   | Kỳ      | Kết quả | Ngày đo    |
      | CT03 | 2026-10 | 97,5    | 05/11/2026 |
    Khi kiểm tra theo quy tắc "chi-tieu-bang"
    Thì có phát hiện vi phạm cho chỉ tiêu "CT03"
    Và câu thông báo có "kết quả 97,5%"

  Kịch bản: Đúng 100% thì đạt
    Cho các kết quả đo:
      | Mã   | Kỳ      | Tử số | Mẫu số | Ngày đo    |
      | CT03 | 2026-10 | 250   | 250    | 05/11/2026 |
    Khi kiểm tra theo quy tắc "chi-tieu-bang"
    Thì không có phát hiện nào

  Kịch bản: Chưa đo là thiếu dữ liệu
    Khi kiểm tra theo quy tắc "chi-tieu-bang"
    Thì có phát hiện thiếu dữ liệu "actual" cho chỉ tiêu "CT03"
