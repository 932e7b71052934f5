# language: vi
Tính năng: Quy tắc chi-tieu-nguy-co-khong-dat: chỉ tiêu có nguy cơ không đạt
  Cảnh báo sớm: chỉ tiêu hiện vẫn đạt, nhưng đường xu hướng của các lần đo trong kỳ, kéo đến
  ngày cuối kỳ, không đạt mức yêu cầu. Chỉ tiêu "tối thiểu" bị nêu khi kết quả đang giảm,
  chỉ tiêu "không quá" khi kết quả đang tăng. Chưa đủ 3 lần đo thì là thiếu dữ liệu.

  Bối cảnh:
    Cho ngày kiểm tra là 22/11/2026
    Và kế hoạch năm 2026
    Và các chỉ tiêu:
      | Mã   | Chỉ tiêu                                        | So sánh | Giá trị | Đơn vị tính | Đơn vị chủ trì                    |
      | CT01 | Tỷ lệ hồ sơ trực tuyến đạt từ 95% trở lên       | >=      | 95      | %           | Trung tâm Phục vụ hành chính công |
      | CT02 | Tỷ lệ hồ sơ giải quyết quá hạn không quá 2%     | <=      | 2       | %           | Trung tâm Phục vụ hành chính công |

  Kịch bản: Kết quả đang giảm: hiện đạt 95,6% nhưng đến hết năm dự kiến khoảng 94,8%
    Cho các kết quả đo:
      | Mã   | Kỳ      | Kết quả | Ngày đo    |
      | CT01 | 2026-05 | 97,9    | 04/06/2026 |
      | CT01 | 2026-06 | 97,7    | 03/07/2026 |
      | CT01 | 2026-07 | 97,3    | 05/08/2026 |
      | CT01 | 2026-08 | 96,9    | 04/09/2026 |
      | CT01 | 2026-09 | 96,5    | 05/10/2026 |
      | CT01 | 2026-10 | 95,6    | 05/11/2026 |
    Khi kiểm tra theo quy tắc "chi-tieu-nguy-co-khong-dat"
    Thì có 1 phát hiện
    Và có phát hiện vi phạm cho chỉ tiêu "CT01"
    Và giá trị "projected" là 94,8
    Và giá trị "projected_low" là 94,4
    Và giá trị "projected_high" là 95,2
    Và giá trị "projection_points" là 6
    Và mức độ là "nhắc nhở"
    Và câu thông báo có "có nguy cơ không đạt: kết quả hiện nay 95,6% (6 lần đo trong kỳ)"
    Và câu thông báo có "nếu giữ xu hướng hiện nay, đến hết kỳ (31/12/2026) dự kiến đạt khoảng 94,8%"
    Và câu thông báo có "(có thể từ 94,4% đến 95,2%), yêu cầu >= 95%"
    Và đơn vị nhận là "Trung tâm Phục vụ hành chính công"

  Kịch bản: Kết quả đang tăng: tỷ lệ quá hạn 1,7% sẽ vượt 2%, cả cận dưới cũng vượt thì cảnh báo
    Cho các kết quả đo:
      | Mã   | Kỳ      | Kết quả | Ngày đo    |
      | CT02 | 2026-07 | 0,8     | 05/08/2026 |
      | CT02 | 2026-08 | 1,1     | 05/09/2026 |
      | CT02 | 2026-09 | 1,4     | 05/10/2026 |
      | CT02 | 2026-10 | 1,7     | 05/11/2026 |
    Khi kiểm tra theo quy tắc "chi-tieu-nguy-co-khong-dat"
    Thì có phát hiện vi phạm cho chỉ tiêu "CT02"
    Và giá trị "projected" là 2,3
    Và giá trị "projected_low" là 2,3
    Và mức độ là "cảnh báo"
    Và câu thông báo có "dự kiến đạt khoảng 2,3%"

  Kịch bản: Kết quả tăng không đều: dự kiến vượt 2% nhưng cận dưới chưa vượt thì chỉ nhắc nhở
    Cho các kết quả đo:
      | Mã   | Kỳ      | Kết quả | Ngày đo    |
      | CT02 | 2026-07 | 0,9     | 05/08/2026 |
      | CT02 | 2026-08 | 1       | 05/09/2026 |
      | CT02 | 2026-09 | 1,5     | 05/10/2026 |
      | CT02 | 2026-10 | 1,6     | 05/11/2026 |
    Khi kiểm tra theo quy tắc "chi-tieu-nguy-co-khong-dat"
    Thì có phát hiện vi phạm cho chỉ tiêu "CT02"
    Và giá trị "projected" là 2,1
    Và giá trị "projected_low" là 1,7
    Và mức độ là "nhắc nhở"

  Khung kịch bản: Dự kiến đúng bằng mức yêu cầu: "từ ... trở lên", "không quá" thì đạt; "trên", "dưới" thì có nguy cơ
    Cho các chỉ tiêu:
      | Mã   | Chỉ tiêu           | So sánh    | Giá trị    | Đơn vị tính |
      | CT03 | Chỉ tiêu thử <so sánh> | <so sánh> | <giá trị> | %           |
    Và các kết quả đo:
      | Mã   | Kỳ      | Kết quả   | Ngày đo    |
      | CT03 | 2026-08 | <tháng 8> | 05/09/2026 |
      | CT03 | 2026-09 | <tháng 9> | 05/10/2026 |
      | CT03 | 2026-10 | <tháng 10> | 05/11/2026 |
    Khi kiểm tra theo quy tắc "chi-tieu-nguy-co-khong-dat"
    Thì có <số> phát hiện

    Dữ liệu:
      | so sánh | giá trị | tháng 8 | tháng 9 | tháng 10 | số |
      | >=      | 89      | 93      | 92      | 91       | 0  |
      | >       | 89      | 93      | 92      | 91       | 1  |
      | <=      | 7       | 3       | 4       | 5        | 0  |
      | <       | 7       | 3       | 4       | 5        | 1  |

  Kịch bản: Giảm đều xuống dưới mức, cả cận trên cũng không vượt mức yêu cầu thì cảnh báo
    Cho các kết quả đo:
      | Mã   | Kỳ      | Kết quả | Ngày đo    |
      | CT01 | 2026-08 | 98      | 05/09/2026 |
      | CT01 | 2026-09 | 97      | 05/10/2026 |
      | CT01 | 2026-10 | 96      | 05/11/2026 |
    Khi kiểm tra theo quy tắc "chi-tieu-nguy-co-khong-dat"
    Thì có phát hiện vi phạm cho chỉ tiêu "CT01"
    Và giá trị "projected" là 94
    Và giá trị "projected_high" là 94,1
    Và mức độ là "cảnh báo"

  Kịch bản: Chỉ tiêu "đạt 100%" và chỉ tiêu "03 giảm" không được dự báo, kể cả khi ít lần đo
    Cho các chỉ tiêu:
      | Mã   | Chỉ tiêu                                  | So sánh | Giá trị | Đơn vị tính | 03 giảm   | Năm gốc |
      | CT05 | Tỷ lệ số hóa hồ sơ đạt 100%               | ==      | 100     | %           |           |         |
      | CT06 | Cắt giảm 50% thời gian so với năm 2024    | >=      | 50      | %           | thời gian | 2024    |
    Và các kết quả đo:
      | Mã   | Kỳ      | Kết quả | Ngày đo    |
      | CT05 | 2026-10 | 100     | 05/11/2026 |
      | CT06 | 2026-08 | 60      | 05/09/2026 |
      | CT06 | 2026-09 | 55      | 05/10/2026 |
      | CT06 | 2026-10 | 52      | 05/11/2026 |
    Khi kiểm tra theo quy tắc "chi-tieu-nguy-co-khong-dat"
    Thì không có phát hiện nào

  Kịch bản: Kết quả đi ngang trên mức yêu cầu thì không có nguy cơ
    Cho các kết quả đo:
      | Mã   | Kỳ      | Kết quả | Ngày đo    |
      | CT01 | 2026-07 | 96,1    | 05/08/2026 |
      | CT01 | 2026-08 | 96,3    | 05/09/2026 |
      | CT01 | 2026-09 | 96      | 05/10/2026 |
      | CT01 | 2026-10 | 96,2    | 05/11/2026 |
    Khi kiểm tra theo quy tắc "chi-tieu-nguy-co-khong-dat"
    Thì không có phát hiện cho chỉ tiêu "CT01"

  Kịch bản: Chỉ tiêu tối thiểu có kết quả đang tăng thì không bị nêu
    Cho các kết quả đo:
      | Mã   | Kỳ      | Kết quả | Ngày đo    |
      | CT01 | 2026-07 | 95,2    | 05/08/2026 |
      | CT01 | 2026-08 | 95,8    | 05/09/2026 |
      | CT01 | 2026-09 | 96,1    | 05/10/2026 |
      | CT01 | 2026-10 | 96,9    | 05/11/2026 |
    Khi kiểm tra theo quy tắc "chi-tieu-nguy-co-khong-dat"
    Thì không có phát hiện cho chỉ tiêu "CT01"

  Kịch bản: Mới có 2 lần đo trong kỳ là thiếu dữ liệu, không phải "không có nguy cơ"
    Cho các kết quả đo:
      | Mã   | Kỳ      | Kết quả | Ngày đo    |
      | CT01 | 2026-09 | 96,5    | 05/10/2026 |
      | CT01 | 2026-10 | 95,6    | 05/11/2026 |
    Khi kiểm tra theo quy tắc "chi-tieu-nguy-co-khong-dat"
    Thì có phát hiện thiếu dữ liệu "projected" cho chỉ tiêu "CT01"
    Và mức độ là "info"
    Và câu thông báo có "mới có 2 lần đo trong kỳ, chưa đủ 3 lần đo để dự báo kết quả đến hết kỳ"

  Kịch bản: Đủ 3 lần đo thì dự báo được
    Cho các kết quả đo:
      | Mã   | Kỳ      | Kết quả | Ngày đo    |
      | CT01 | 2026-08 | 96,9    | 04/09/2026 |
      | CT01 | 2026-09 | 96,5    | 05/10/2026 |
      | CT01 | 2026-10 | 95,6    | 05/11/2026 |
    Khi kiểm tra theo quy tắc "chi-tieu-nguy-co-khong-dat"
    Thì có phát hiện vi phạm cho chỉ tiêu "CT01"
    Và giá trị "projected" là 94,3
    Và giá trị "projection_points" là 3

  Kịch bản: Chỉ tiêu hiện đã không đạt thì thuộc "chỉ tiêu chưa đạt", không nêu lần thứ hai
    Cho các kết quả đo:
      | Mã   | Kỳ      | Kết quả | Ngày đo    |
      | CT01 | 2026-08 | 96      | 04/09/2026 |
      | CT01 | 2026-09 | 95,2    | 05/10/2026 |
      | CT01 | 2026-10 | 94,5    | 05/11/2026 |
    Khi kiểm tra theo mọi quy tắc
    Thì có phát hiện của quy tắc "chi-tieu-toi-thieu" cho chỉ tiêu "CT01"
    Và không có phát hiện của quy tắc "chi-tieu-nguy-co-khong-dat" cho chỉ tiêu "CT01"

  Kịch bản: Chưa có kết quả đo nào thì chỉ quy tắc chỉ tiêu chưa đạt báo thiếu số liệu
    Khi kiểm tra theo quy tắc "chi-tieu-nguy-co-khong-dat"
    Thì không có phát hiện nào

  Khung kịch bản: Ngày cuối kỳ vẫn cảnh báo, sang kỳ sau thì không
    Cho ngày kiểm tra là <ngày>
    Và các kết quả đo:
      | Mã   | Kỳ      | Kết quả | Ngày đo    |
      | CT01 | 2026-08 | 96,9    | 04/09/2026 |
      | CT01 | 2026-09 | 96,5    | 05/10/2026 |
      | CT01 | 2026-10 | 95,6    | 05/11/2026 |
    Khi kiểm tra theo quy tắc "chi-tieu-nguy-co-khong-dat"
    Thì có <số> phát hiện

    Dữ liệu:
      | ngày       | số |
      | 31/12/2026 | 1  |
      | 01/01/2027 | 0  |
