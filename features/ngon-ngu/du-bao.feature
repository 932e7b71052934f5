# language: vi
Tính năng: Dự báo kết quả đến hết kỳ: period_end, projection_points, projected, projected_low, projected_high
  Từ các lần đo trong kỳ của chỉ tiêu (đến ngày kiểm tra), một đường xu hướng bình phương tối
  thiểu có trọng số (lần đo gần đây nặng hơn) được kéo đến ngày cuối kỳ (period_end): projected
  là kết quả dự kiến, projected_low và projected_high là khoảng dự báo 80%. Mỗi lần đo được đặt
  ở ngày nó mô tả (cuối kỳ đo: kỳ 2026-10 là ngày 31/10/2026); hai lần đo cho cùng một ngày thì
  lần đo sau thay lần trước. Cần ít nhất 3 lần đo; kết quả nằm trong 0-100 với chỉ tiêu %.

  Bối cảnh:
    Cho ngày kiểm tra là 22/11/2026
    Và kế hoạch năm 2026
    Và các chỉ tiêu:
      | Mã   | Chỉ tiêu                            | So sánh | Giá trị | Đơn vị tính |
      | CT01 | Mức độ hài lòng từ 90% trở lên      | >=      | 90      | %           |
    Và quy tắc:
      """
      id: du-bao
      title: Dự báo đến hết kỳ
      fact: target
      condition: projected < 100
      severity: info
      message: >-
        Chỉ tiêu {{ target }}: {{ projection_points }} lần đo, đến {{ period_end }} dự kiến
        {{ projected }}% ({{ projected_low }}-{{ projected_high }}%).
      """

  Kịch bản: Chỉ tính các lần đo trong kỳ của chỉ tiêu, đến ngày kiểm tra
    Cho các kết quả đo:
      | Mã   | Kỳ      | Kết quả | Ngày đo    |
      | CT01 | 2025-12 | 99      | 05/01/2026 |
      | CT01 | 2026-08 | 92      | 05/09/2026 |
      | CT01 | 2026-09 | 91      | 05/10/2026 |
      | CT01 | 2026-10 | 90,5    | 05/11/2026 |
      | CT01 | 2026-11 | 80      | 05/12/2026 |
    Khi kiểm tra theo quy tắc "du-bao"
    Thì có phát hiện vi phạm cho chỉ tiêu "CT01"
    Và giá trị "projection_points" là 3
    Và giá trị "period_end" là 31/12/2026
    Và giá trị "projected" là 89
    Và giá trị "projected_low" là 87,6
    Và giá trị "projected_high" là 90,4
    Và câu thông báo có "3 lần đo, đến 31/12/2026 dự kiến 89% (87,6-90,4%)"

  Kịch bản: Lần đo sửa lại cho cùng một kỳ thay lần đo trước
    Cho các kết quả đo:
      | Mã   | Kỳ      | Kết quả | Ngày đo    |
      | CT01 | 2026-08 | 92      | 05/09/2026 |
      | CT01 | 2026-09 | 97      | 05/10/2026 |
      | CT01 | 2026-09 | 91      | 12/10/2026 |
      | CT01 | 2026-10 | 90,5    | 05/11/2026 |
    Khi kiểm tra theo quy tắc "du-bao"
    Thì có phát hiện vi phạm cho chỉ tiêu "CT01"
    Và giá trị "projection_points" là 3
    Và giá trị "projected" là 89

  Kịch bản: Chưa đủ 3 lần đo thì chưa có dự báo: thiếu dữ liệu
    Cho các kết quả đo:
      | Mã   | Kỳ      | Kết quả | Ngày đo    |
      | CT01 | 2026-09 | 91      | 05/10/2026 |
      | CT01 | 2026-10 | 90,5    | 05/11/2026 |
    Khi kiểm tra theo quy tắc "du-bao"
    Thì có phát hiện thiếu dữ liệu "projected" cho chỉ tiêu "CT01"
    Và giá trị "projection_points" là 2

  Kịch bản: Chỉ tiêu % không được dự báo quá 100%
    Cho quy tắc:
      """
      id: du-bao-tran
      title: Dự báo chạm mức 100%
      fact: target
      condition: projected >= 100 and projected_low >= 100
      severity: info
      message: Chỉ tiêu {{ target }} dự kiến {{ projected }}%.
      """
    Và các kết quả đo:
      | Mã   | Kỳ      | Kết quả | Ngày đo    |
      | CT01 | 2026-08 | 90      | 05/09/2026 |
      | CT01 | 2026-09 | 95      | 05/10/2026 |
      | CT01 | 2026-10 | 99      | 05/11/2026 |
    Khi kiểm tra theo quy tắc "du-bao-tran"
    Thì có phát hiện vi phạm cho chỉ tiêu "CT01"
    Và giá trị "projected" là 100
    Và giá trị "projected_high" là 100

  Kịch bản: Chỉ tiêu của một quý được dự báo đến ngày cuối quý
    Cho các chỉ tiêu:
      | Mã   | Chỉ tiêu                        | So sánh | Giá trị | Đơn vị tính | Kỳ      |
      | CT02 | Quý III đạt tối thiểu 85%       | >=      | 85      | %           | 2026-Q3 |
    Và quy tắc:
      """
      id: sap-het-ky
      title: Còn dưới 30 ngày là hết kỳ mà dự kiến chưa đạt
      fact: target
      scope: as_of + 30 days >= period_end
      condition: projected < value
      severity: nhắc nhở
      message: Chỉ tiêu {{ target }} dự kiến {{ projected }}% vào {{ period_end }}.
      """
    Và các kết quả đo:
      | Mã   | Kỳ      | Kết quả | Ngày đo    |
      | CT02 | 2026-07 | 80      | 05/08/2026 |
      | CT02 | 2026-08 | 82      | 05/09/2026 |
      | CT02 | 2026-09 | 83      | 29/09/2026 |
    Và ngày kiểm tra là 29/09/2026
    Khi kiểm tra theo quy tắc "sap-het-ky"
    Thì có phát hiện vi phạm cho chỉ tiêu "CT02"
    Và giá trị "period_end" là 30/09/2026
    Và giá trị "projected" là 83,2
    Và câu thông báo có "dự kiến 83,2% vào 30/09/2026"
