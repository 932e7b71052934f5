# language: vi
Tính năng: Quy tắc chi-tieu-toi-da: chỉ tiêu tối đa bị vượt
  Chỉ tiêu "không quá 5%", "tối đa" (<=) hay "dưới 2%" (<): kết quả vượt mức thì bị nêu.

  Bối cảnh:
    Cho ngày kiểm tra là 22/11/2026
    Và kế hoạch năm 2026
    Và các chỉ tiêu:
      | Mã   | Chỉ tiêu                           | So sánh | Giá trị | Đơn vị tính |
      | CT05 | Tỷ lệ hồ sơ quá hạn không quá 2%   | <=      | 2       | %           |
      | CT06 | Tỷ lệ hồ sơ phải bổ sung dưới 5%   | <       | 5       | %           |

  Kịch bản: 3,5% hồ sơ quá hạn vượt mức 2%
    Cho các kết quả đo:
      | Mã   | Kỳ      | Kết quả | Ngày đo    |
      | CT05 | 2026-10 | 3,5     | 05/11/2026 |
      | CT06 | 2026-10 | 4       | 05/11/2026 |
    Khi kiểm tra theo quy tắc "chi-tieu-toi-da"
    Thì có 1 phát hiện
    Và có phát hiện vi phạm cho chỉ tiêu "CT05"
    Và câu thông báo có "vượt 1,5%"
    Và đơn vị nhận là "Văn phòng HĐND và UBND"

  Kịch bản: Đúng bằng mức tối đa thì đạt; bằng mức "dưới" thì vượt
    Cho các kết quả đo:
      | Mã   | Kỳ      | Kết quả | Ngày đo    |
      | CT05 | 2026-10 | 2       | 05/11/2026 |
      | CT06 | 2026-10 | 5       | 05/11/2026 |
    Khi kiểm tra theo quy tắc "chi-tieu-toi-da"
    Thì có 1 phát hiện
    Và có phát hiện vi phạm cho chỉ tiêu "CT06"

  Kịch bản: Dưới mức thì không nêu
    Cho các kết quả đo:
      | Mã   | Kỳ      | Kết quả | Ngày đo    |
      | CT05 | 2026-10 | 1,2     | 05/11/2026 |
      | CT06 | 2026-10 | 0       | 05/11/2026 |
    Khi kiểm tra theo quy tắc "chi-tieu-toi-da"
    Thì không có phát hiện nào
